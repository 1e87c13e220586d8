// Identifiers shared between package.json and the code.
export const viewId = 'infrawatch.sidebar';

export const contextValues = {
  identity: 'identity',
  policy: 'policy',
  service: 'service',
  resource: 'resource',
  resourceInAlarm: 'resource.alarm',
  problem: 'problem',
  error: 'error',
  message: 'message',
} as const;
