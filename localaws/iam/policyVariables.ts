// IAM policy variables in Resource and Condition values: `${aws:username}`, `${aws:PrincipalTag/team}`,
// a default with `${key, 'default'}`, and the fixed `${*}`, `${?}`, `${$}`. Only in documents of
// Version 2012-10-17; in older (or no) Version the text stays literal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// A key with no value "is effectively null. There is no equal or like value": the caller gets
// undefined and the value then matches nothing, so the statement does not take effect.

import type { ConditionContext } from './conditions';

const variable = /\$\{([^}]*)\}/g;
const fixed: Record<string, string> = { '*': '*', '?': '?', $: '$' };

export function substituteVariables(text: string, context: ConditionContext): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const out = text.replace(variable, (whole, inner: string) => {
    const [name = '', fallback] = inner.split(/,\s*/, 2);
    const key = name.trim();
    if (fixed[key] !== undefined) return fixed[key];
    const value = context[key.toLowerCase()];
    if (typeof value === 'string' && value.length > 0) return value;
    const quoted = fallback === undefined ? undefined : /^'(.*)'$/.exec(fallback.trim())?.[1];
    if (quoted !== undefined) return quoted;
    missing = true;
    return whole;
  });
  return missing ? undefined : out;
}
