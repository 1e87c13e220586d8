// Building zod schemas is most of what zod costs at start-up, and a module's schemas were
// all built when the extension loaded, though most are used only once a panel opens, a
// policy is read or a session is restored. So each schema is built on first use:
// `once(() => z.object(...))` inside its module (schemas made of schemas call the getters,
// so zod only ever holds real schemas), and `lazySchema(getX)` for what a module exports: a
// stand-in that passes every property read to the built schema, so callers, `typeof`
// types and `instanceof z.ZodObject` checks see the schema itself. Do not hand a stand-in
// to zod (`z.object({ a: someLazySchema })`, `z.toJSONSchema`): zod keys its work by object
// identity and would see two objects; call the getter instead.

/** `build()` on the first call, its result after that. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/** A stand-in for the schema `get()` returns, calling it on the first property read. */
export function lazySchema<T extends object>(get: () => T): T {
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(get(), key, get()),
    set: (_, key, value) => Reflect.set(get(), key, value),
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    // The stand-in has no own properties, so each must be reported configurable (a proxy rule).
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
  });
}
