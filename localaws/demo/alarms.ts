// The demo's alarms. Thresholds sit well clear of normal traffic so the states at start
// do not depend on the time of day: orders-db-cpu-high is in ALARM for about two hours
// after start because of the incident, legacy-batch-cpu watches a terminated instance
// (INSUFFICIENT_DATA), the rest are OK.

import type { AlarmDefinition } from '../cloudwatch/alarms';

const day = 24 * 3_600_000;

export function getDemoAlarms(startTime: number, accountId: string, region: string): AlarmDefinition[] {
  const topic = `arn:aws:sns:${region}:${accountId}:ops-alerts`;
  const base = { treatMissingData: 'missing' as const, alarmActions: [topic], configuredAt: startTime - 10 * day };
  const alarm = (a: Omit<AlarmDefinition, keyof typeof base>): AlarmDefinition => ({ ...base, ...a });
  return [
    alarm({
      name: 'orders-db-cpu-high', description: 'orders-db CPU above 80 % in 3 of the last 36 five-minute periods',
      namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }],
      statistic: 'Average', period: 300, evaluationPeriods: 36, datapointsToAlarm: 3, threshold: 80, comparisonOperator: 'GreaterThanThreshold', unit: 'Percent',
    }),
    alarm({
      name: 'orders-db-connections-high', description: 'orders-db connections near max_connections',
      namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }],
      statistic: 'Maximum', period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 400, comparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
    alarm({
      name: 'checkout-handler-errors', description: 'checkout-handler errors in the last 15 minutes',
      namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ Name: 'FunctionName', Value: 'checkout-handler' }],
      statistic: 'Sum', period: 300, evaluationPeriods: 3, datapointsToAlarm: 1, threshold: 10, comparisonOperator: 'GreaterThanThreshold',
    }),
    alarm({
      name: 'image-resizer-duration-p95', description: 'image-resizer p95 duration above 5 s',
      namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: [{ Name: 'FunctionName', Value: 'image-resizer' }],
      statistic: 'p95', period: 300, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 5000, comparisonOperator: 'GreaterThanThreshold', unit: 'Milliseconds',
    }),
    alarm({
      name: 'prod-web-5xx', description: 'prod-web ALB target 5XX responses',
      namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: [{ Name: 'LoadBalancer', Value: 'app/prod-web/50dc6c495c0c9188' }],
      statistic: 'Sum', period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 50, comparisonOperator: 'GreaterThanThreshold',
    }),
    alarm({
      name: 'orders-queue-backlog', description: 'orders-queue messages waiting',
      namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ Name: 'QueueName', Value: 'orders-queue' }],
      statistic: 'Maximum', period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 1000, comparisonOperator: 'GreaterThanThreshold',
    }),
    alarm({
      name: 'orders-api-5xx', description: 'orders-api 5XX errors (prod stage)',
      namespace: 'AWS/ApiGateway', metricName: '5XXError', dimensions: [{ Name: 'ApiName', Value: 'orders-api' }, { Name: 'Stage', Value: 'prod' }],
      statistic: 'Sum', period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 20, comparisonOperator: 'GreaterThanThreshold',
    }),
    alarm({
      name: 'sessions-throttles', description: 'sessions table throttled requests',
      namespace: 'AWS/DynamoDB', metricName: 'ThrottledRequests', dimensions: [{ Name: 'TableName', Value: 'sessions' }],
      statistic: 'Sum', period: 300, evaluationPeriods: 2, datapointsToAlarm: 1, threshold: 0, comparisonOperator: 'GreaterThanThreshold',
    }),
    alarm({
      name: 'web-memory-high', description: 'prod/web service memory',
      namespace: 'AWS/ECS', metricName: 'MemoryUtilization', dimensions: [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'ServiceName', Value: 'web' }],
      statistic: 'Average', period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 90, comparisonOperator: 'GreaterThanThreshold', unit: 'Percent',
    }),
    alarm({
      name: 'legacy-batch-cpu', description: 'CPU of the legacy batch host (instance terminated, no data any more)',
      namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: 'i-0a1b2c3d4e5f6ffff' }],
      statistic: 'Average', period: 300, evaluationPeriods: 2, datapointsToAlarm: 2, threshold: 90, comparisonOperator: 'GreaterThanThreshold',
    }),
  ];
}
