// IAM-style wildcard matching: `*` is any run of characters, `?` exactly one. Actions
// match case-insensitively (IAM treats `CloudWatch:listmetrics` as `cloudwatch:ListMetrics`),
// resources and condition values case-sensitively.

const cache = new Map<string, RegExp>();

function toRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = cache.get(cacheKey);
  if (!regex) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(cacheKey, regex);
  }
  return regex;
}

export function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || toRegExp(pattern, true).test(action);
}

export function resourceMatches(pattern: string, resource: string): boolean {
  return pattern === '*' || toRegExp(pattern, false).test(resource);
}
