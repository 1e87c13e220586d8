// The endpoint's CloudTrail event history: the management events it recorded (today the
// AssumeRole calls STS served), per endpoint state, and the lookup rate per account and
// Region. Kept beside the state rather than in it, so only CloudTrail code knows about it.

import type { LocalAwsState } from '../server/state';

/** What LookupEvents returns for an event (its `Event` shape), before the wire writes it. */
export interface TrailEvent {
  /** Insertion order: ties in time are broken newest-first by it. */
  seq: number;
  accountId: string;
  region: string;
  /** Epoch ms, whole seconds (CloudTrail's eventTime has second precision). */
  time: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId?: string;
  username?: string;
  resources: { ResourceType: string; ResourceName: string }[];
  /** The full record as a JSON string (`Event.CloudTrailEvent`). */
  cloudTrailEvent: string;
}

export interface TrailStore {
  events: TrailEvent[];
  /** Per `<account>/<region>`: epoch ms of the lookups accepted within the last second. */
  lookups: Map<string, number[]>;
  nextSeq: number;
}

const stores = new WeakMap<LocalAwsState, TrailStore>();

export function trailOf(state: LocalAwsState): TrailStore {
  let store = stores.get(state);
  if (!store) {
    store = { events: [], lookups: new Map(), nextSeq: 1 };
    stores.set(state, store);
  }
  return store;
}

export function addTrailEvent(state: LocalAwsState, event: Omit<TrailEvent, 'seq'>): TrailEvent {
  const store = trailOf(state);
  const stored = { ...event, seq: store.nextSeq };
  store.nextSeq += 1;
  store.events.push(stored);
  return stored;
}
