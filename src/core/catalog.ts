// The service catalog: what InfraWatch knows about each AWS service it can
// monitor and grant access to. Resources are found with CloudWatch ListMetrics on the
// namespace, so no per-service SDK is needed to list them.

export const accessLevels = ['read', 'write', 'admin'] as const;
export type AccessLevel = (typeof accessLevels)[number];

export const serviceIds = ['ec2', 'rds', 'lambda', 'ecs', 'dynamodb', 's3', 'sqs', 'alb', 'apigateway'] as const;
export type ServiceId = (typeof serviceIds)[number];

export type Statistic = 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount' | 'p95' | 'p99';

export interface MetricSpec {
  name: string;
  stat: Statistic;
  /** CloudWatch unit of the metric, used for axis labels and hover values. */
  unit: string;
  /** Metrics published once a day (S3 storage metrics) need a one-day period. */
  daily?: boolean;
}

export interface ServiceSpec {
  id: ServiceId;
  displayName: string;
  /** Codicon id for the tree. */
  icon: string;
  namespace: string;
  /** Dimension names that together name one resource; the first is the primary one. */
  resourceDimensions: readonly string[];
  /** Extra dimensions a metric may carry for the same resource (e.g. S3 StorageType). */
  extraDimensions?: readonly string[];
  metrics: readonly MetricSpec[];
  /**
   * IAM actions per level for the session policy; each level includes the ones below it.
   * Each action's AWS access level must fit the level (see `levelsOf`) unless `levelExceptions`
   * says why not; test/unit/catalogIam.test.ts checks both against AWS's data.
   */
  actions: Record<AccessLevel, readonly string[]>;
  /** Actions kept at another level than AWS's access level implies, and why. */
  levelExceptions?: Readonly<Record<string, string>>;
  /**
   * List actions a grant's resource patterns still scope although AWS lets them be called
   * without a resource (they list content, not resources), and why. See sts/actionSplit.ts.
   */
  keepScoped?: Readonly<Record<string, string>>;
  /** A resource pattern for messages, in the shape of the service's main resource's ARN. */
  arnExample: string;
  /** Log group name for a resource; `{resource}` is the primary dimension's value. */
  logGroupPattern?: string;
}

export const catalog: Readonly<Record<ServiceId, ServiceSpec>> = {
  ec2: {
    id: 'ec2',
    displayName: 'EC2',
    icon: 'vm',
    namespace: 'AWS/EC2',
    resourceDimensions: ['InstanceId'],
    metrics: [
      { name: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
      { name: 'NetworkIn', stat: 'Sum', unit: 'Bytes' },
      { name: 'NetworkOut', stat: 'Sum', unit: 'Bytes' },
      { name: 'StatusCheckFailed', stat: 'Maximum', unit: 'Count' },
    ],
    arnExample: 'arn:aws:ec2:<region>:<account>:instance/i-0prod*',
    actions: {
      read: ['ec2:Describe*', 'ec2:GetConsoleOutput'],
      write: ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:RebootInstances', 'ec2:CreateTags'],
      admin: ['ec2:*'],
    },
    logGroupPattern: '/ec2/{resource}',
  },
  rds: {
    id: 'rds',
    displayName: 'RDS',
    icon: 'database',
    namespace: 'AWS/RDS',
    resourceDimensions: ['DBInstanceIdentifier'],
    metrics: [
      { name: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
      { name: 'DatabaseConnections', stat: 'Average', unit: 'Count' },
      { name: 'FreeStorageSpace', stat: 'Minimum', unit: 'Bytes' },
      { name: 'FreeableMemory', stat: 'Minimum', unit: 'Bytes' },
      { name: 'ReadLatency', stat: 'Average', unit: 'Seconds' },
      { name: 'WriteLatency', stat: 'Average', unit: 'Seconds' },
    ],
    arnExample: 'arn:aws:rds:<region>:<account>:db:orders-*',
    actions: {
      read: ['rds:Describe*', 'rds:ListTagsForResource', 'rds:DownloadDBLogFilePortion'],
      write: ['rds:RebootDBInstance', 'rds:ModifyDBInstance', 'rds:CreateDBSnapshot', 'rds:AddTagsToResource'],
      admin: ['rds:*'],
    },
    logGroupPattern: '/aws/rds/instance/{resource}/postgresql',
  },
  lambda: {
    id: 'lambda',
    displayName: 'Lambda',
    icon: 'symbol-function',
    namespace: 'AWS/Lambda',
    resourceDimensions: ['FunctionName'],
    metrics: [
      { name: 'Invocations', stat: 'Sum', unit: 'Count' },
      { name: 'Errors', stat: 'Sum', unit: 'Count' },
      { name: 'Throttles', stat: 'Sum', unit: 'Count' },
      { name: 'Duration', stat: 'p95', unit: 'Milliseconds' },
      { name: 'ConcurrentExecutions', stat: 'Maximum', unit: 'Count' },
    ],
    arnExample: 'arn:aws:lambda:<region>:<account>:function:orders-*',
    actions: {
      read: ['lambda:Get*', 'lambda:List*'],
      write: ['lambda:InvokeFunction', 'lambda:UpdateFunctionConfiguration', 'lambda:PutFunctionConcurrency'],
      admin: ['lambda:*'],
    },
    logGroupPattern: '/aws/lambda/{resource}',
  },
  ecs: {
    id: 'ecs',
    displayName: 'ECS',
    icon: 'server-process',
    namespace: 'AWS/ECS',
    resourceDimensions: ['ClusterName', 'ServiceName'],
    metrics: [
      { name: 'CPUUtilization', stat: 'Average', unit: 'Percent' },
      { name: 'MemoryUtilization', stat: 'Average', unit: 'Percent' },
    ],
    arnExample: 'arn:aws:ecs:<region>:<account>:service/<cluster>/orders-*',
    actions: {
      read: ['ecs:Describe*', 'ecs:List*'],
      write: ['ecs:UpdateService', 'ecs:StopTask', 'ecs:RunTask'],
      admin: ['ecs:*'],
    },
    logGroupPattern: '/ecs/{resource}',
  },
  dynamodb: {
    id: 'dynamodb',
    displayName: 'DynamoDB',
    icon: 'table',
    namespace: 'AWS/DynamoDB',
    resourceDimensions: ['TableName'],
    metrics: [
      { name: 'ConsumedReadCapacityUnits', stat: 'Sum', unit: 'Count' },
      { name: 'ConsumedWriteCapacityUnits', stat: 'Sum', unit: 'Count' },
      { name: 'ThrottledRequests', stat: 'Sum', unit: 'Count' },
      { name: 'SuccessfulRequestLatency', stat: 'Average', unit: 'Milliseconds' },
      { name: 'SystemErrors', stat: 'Sum', unit: 'Count' },
    ],
    arnExample: 'arn:aws:dynamodb:<region>:<account>:table/orders*',
    actions: {
      read: ['dynamodb:Describe*', 'dynamodb:List*', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
      write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      admin: ['dynamodb:*'],
    },
  },
  s3: {
    id: 's3',
    displayName: 'S3',
    icon: 'archive',
    namespace: 'AWS/S3',
    resourceDimensions: ['BucketName'],
    extraDimensions: ['StorageType'],
    metrics: [
      { name: 'BucketSizeBytes', stat: 'Average', unit: 'Bytes', daily: true },
      { name: 'NumberOfObjects', stat: 'Average', unit: 'Count', daily: true },
    ],
    arnExample: 'arn:aws:s3:::orders-*',
    actions: {
      read: ['s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetObject', 's3:GetBucketLocation'],
      write: ['s3:PutObject', 's3:DeleteObject'],
      admin: ['s3:*'],
    },
    keepScoped: {
      // AWS lists its resource types (bucket, access point) as optional only because either will do.
      's3:ListBucket': 'lists the keys of the objects in a bucket: its content',
    },
  },
  sqs: {
    id: 'sqs',
    displayName: 'SQS',
    icon: 'list-ordered',
    namespace: 'AWS/SQS',
    resourceDimensions: ['QueueName'],
    metrics: [
      { name: 'ApproximateNumberOfMessagesVisible', stat: 'Maximum', unit: 'Count' },
      { name: 'ApproximateAgeOfOldestMessage', stat: 'Maximum', unit: 'Seconds' },
      { name: 'NumberOfMessagesSent', stat: 'Sum', unit: 'Count' },
    ],
    arnExample: 'arn:aws:sqs:<region>:<account>:orders-*',
    actions: {
      read: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListQueues'],
      write: ['sqs:ReceiveMessage', 'sqs:SendMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      admin: ['sqs:*'],
    },
    levelExceptions: {
      // AWS classes it Read, but receiving a message hides it from the queue's consumers for the
      // visibility timeout and counts towards the redrive policy's maxReceiveCount (a message
      // received often enough moves to the dead-letter queue): it changes what production sees.
      'sqs:ReceiveMessage': 'AWS says Read, but it hides the message from consumers and counts towards dead-lettering',
    },
  },
  alb: {
    id: 'alb',
    displayName: 'Application Load Balancer',
    icon: 'type-hierarchy',
    namespace: 'AWS/ApplicationELB',
    resourceDimensions: ['LoadBalancer'],
    metrics: [
      { name: 'RequestCount', stat: 'Sum', unit: 'Count' },
      { name: 'TargetResponseTime', stat: 'p95', unit: 'Seconds' },
      { name: 'HTTPCode_Target_5XX_Count', stat: 'Sum', unit: 'Count' },
      { name: 'UnHealthyHostCount', stat: 'Maximum', unit: 'Count' },
    ],
    arnExample: 'arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/orders-*',
    actions: {
      read: ['elasticloadbalancing:Describe*'],
      write: [
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
      ],
      admin: ['elasticloadbalancing:*'],
    },
  },
  apigateway: {
    id: 'apigateway',
    displayName: 'API Gateway',
    icon: 'globe',
    namespace: 'AWS/ApiGateway',
    resourceDimensions: ['ApiName'],
    extraDimensions: ['Stage'],
    metrics: [
      { name: 'Count', stat: 'Sum', unit: 'Count' },
      { name: 'Latency', stat: 'p95', unit: 'Milliseconds' },
      { name: '4XXError', stat: 'Sum', unit: 'Count' },
      { name: '5XXError', stat: 'Sum', unit: 'Count' },
    ],
    arnExample: 'arn:aws:apigateway:<region>::/restapis/<api-id>*',
    actions: {
      read: ['apigateway:GET'],
      write: ['apigateway:PATCH', 'apigateway:POST', 'apigateway:PUT'],
      admin: ['apigateway:*'],
    },
    logGroupPattern: 'API-Gateway-Execution-Logs_{resource}',
  },
};

export function getService(id: ServiceId): ServiceSpec {
  return catalog[id];
}

export function isServiceId(value: string): value is ServiceId {
  return (serviceIds as readonly string[]).includes(value);
}

/** The IAM service prefix of a service's actions (alb → elasticloadbalancing). */
export function getIamPrefix(id: ServiceId): string {
  return (catalog[id].actions.admin[0] ?? '').split(':')[0] ?? '';
}

/**
 * AWS's access levels (Service Authorization Reference) each InfraWatch level stands for:
 * read sees (List, Read), write changes and tags (Write, Tagging), admin may also change
 * permissions (Permissions management).
 */
export const levelsOf: Readonly<Record<AccessLevel, readonly string[]>> = {
  read: ['List', 'Read'],
  write: ['Write', 'Tagging'],
  admin: ['Permissions management'],
};

/** The actions a session at `level` may use: the level's own and every level below it. */
export function getActions(id: ServiceId, level: AccessLevel): string[] {
  const spec = catalog[id];
  const upTo = accessLevels.slice(0, accessLevels.indexOf(level) + 1);
  return upTo.flatMap((l) => [...spec.actions[l]]);
}

/** The name of a resource as shown to people: its dimension values joined by " / ". */
export function getResourceLabel(dimensionValues: readonly string[]): string {
  return dimensionValues.join(' / ');
}
