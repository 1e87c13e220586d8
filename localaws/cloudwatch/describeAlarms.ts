// DescribeAlarms: metric alarms by name, name prefix, state or action prefix, evaluated
// at the endpoint's clock, MaxRecords (1–100, default 50) a page, sorted by name.

import { AwsError } from '../server/types';
import { decodeToken, encodeToken, invalidValue, readInteger, readList, readString, type Loose } from './input';
import { evaluateAlarm, type AlarmDefinition, type AlarmState } from './alarms';
import { seedOf } from '../demo/model';
import type { World } from '../demo/world';
import { parseStatistic } from './metricsStats';

const stateValues = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

interface DescribeAlarmsInput {
  names: string[];
  prefix?: string;
  state?: string;
  actionPrefix?: string;
  metricAlarms: boolean;
  maxRecords: number;
  nextToken?: string;
}

function parse(raw: Loose): DescribeAlarmsInput {
  const names = readList(raw, 'AlarmNames').map(String);
  const prefix = readString(raw, 'AlarmNamePrefix');
  if (names.length > 0 && prefix !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be used together.');
  }
  if (names.length > 100)
    throw invalidValue('AlarmNames', `${names.length} names`, 'At most 100 alarm names may be given.');
  const state = readString(raw, 'StateValue');
  if (state !== undefined && !stateValues.includes(state))
    throw invalidValue('StateValue', state, 'Use OK, ALARM or INSUFFICIENT_DATA.');
  const maxRecords = readInteger(raw, 'MaxRecords') ?? 50;
  if (maxRecords < 1 || maxRecords > 100)
    throw invalidValue('MaxRecords', maxRecords, 'MaxRecords must be between 1 and 100.');
  const types = readList(raw, 'AlarmTypes').map(String);
  const input: DescribeAlarmsInput = {
    names,
    maxRecords,
    metricAlarms: types.length === 0 || types.includes('MetricAlarm'),
  };
  const actionPrefix = readString(raw, 'ActionPrefix');
  const nextToken = readString(raw, 'NextToken');
  if (prefix !== undefined) input.prefix = prefix;
  if (state !== undefined) input.state = state;
  if (actionPrefix !== undefined) input.actionPrefix = actionPrefix;
  if (nextToken) input.nextToken = nextToken;
  return input;
}

function selected(def: AlarmDefinition, input: DescribeAlarmsInput): boolean {
  if (!input.metricAlarms) return false;
  if (input.names.length > 0 && !input.names.includes(def.name)) return false;
  if (input.prefix !== undefined && !def.name.startsWith(input.prefix)) return false;
  if (input.actionPrefix !== undefined && !def.alarmActions.some((a) => a.startsWith(input.actionPrefix!)))
    return false;
  return true;
}

function render(world: World, def: AlarmDefinition, state: AlarmState): Loose {
  const percentile = parseStatistic(def.statistic)?.kind === 'percentile';
  const alarm: Loose = {
    AlarmName: def.name,
    AlarmArn: `arn:aws:cloudwatch:${world.region}:${world.accountId}:alarm:${def.name}`,
    AlarmDescription: def.description,
    AlarmConfigurationUpdatedTimestamp: new Date(def.configuredAt),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: def.alarmActions,
    InsufficientDataActions: [],
    StateValue: state.value,
    StateReason: state.reason,
    StateReasonData: state.reasonData,
    StateUpdatedTimestamp: new Date(state.updatedAt),
    StateTransitionedTimestamp: new Date(state.updatedAt),
    MetricName: def.metricName,
    Namespace: def.namespace,
    [percentile ? 'ExtendedStatistic' : 'Statistic']: def.statistic,
    Dimensions: def.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
    Period: def.period,
    EvaluationPeriods: def.evaluationPeriods,
    DatapointsToAlarm: def.datapointsToAlarm,
    Threshold: def.threshold,
    ComparisonOperator: def.comparisonOperator,
    TreatMissingData: def.treatMissingData,
  };
  if (def.unit !== undefined) alarm['Unit'] = def.unit;
  return alarm;
}

export function describeAlarms(world: World, raw: Loose, now: number): Loose {
  const input = parse(raw);
  const filterHash = seedOf(
    JSON.stringify([input.names, input.prefix, input.state, input.actionPrefix, input.metricAlarms]),
  );
  const offset =
    input.nextToken === undefined
      ? 0
      : decodeToken<{ o: number; f: number }>(
          input.nextToken,
          (t) => Number.isInteger(t.o) && t.f === filterHash,
          () => new AwsError('InvalidNextToken', 'The NextToken does not continue this DescribeAlarms request.'),
        ).o;
  const matching = world.alarms
    .filter((def) => selected(def, input))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((def) => ({ def, state: evaluateAlarm(world.metrics, def, now) }))
    .filter(({ state }) => input.state === undefined || state.value === input.state);
  const page = matching.slice(offset, offset + input.maxRecords);
  const out: Loose = { MetricAlarms: page.map(({ def, state }) => render(world, def, state)), CompositeAlarms: [] };
  if (offset + input.maxRecords < matching.length)
    out['NextToken'] = encodeToken({ o: offset + input.maxRecords, f: filterHash });
  return out;
}
