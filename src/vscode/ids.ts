// Identifiers shared between package.json and the code.
export const viewId = 'infrawatch.sidebar';
/** The context key the sidebar's welcome views read: the AccessState kind. */
export const stateContextKey = 'infrawatch.state';

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
