// Text people type that other people read (reasons, tickets, policy display names) must read
// as it is. Control characters and the bidi formatting characters change how text displays
// without being seen (U+202E shows "gnp.exe" as "exe.png"), so they are refused there.
// https://www.unicode.org/reports/tr9/#Explicit_Directional_Formatting_Characters

/** Unicode Cc (C0, DEL, C1) and the bidi formatting set: LRM/RLM, ALM, embeddings and overrides, isolates. */
const hiddenCharClass = '\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const hiddenChar = new RegExp(`[${hiddenCharClass}]`);

/** Text without any hidden character; also the `pattern` of the policy's JSON Schema. */
export const visibleTextPattern = new RegExp(`^[^${hiddenCharClass}]*$`);

/** The first hidden character as "U+202E", or undefined when there is none. */
export function findHiddenChar(text: string): string | undefined {
  const match = hiddenChar.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** "The reason contains …" when the text holds a hidden character; undefined when it reads as it is. */
export function checkVisibleText(text: string, what: string): string | undefined {
  const found = findHiddenChar(text);
  return found ? `${what} contains an invisible control or text-direction character (${found}); remove it` : undefined;
}
