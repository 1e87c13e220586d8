// Which world a call lands in: one per account and region, the demo's data only in the
// demo region. A registry is anchored to the server clock's start time when it is known;
// otherwise to the clock reading of its first call (close to start on a fresh server).

import { createWorld, type World } from './world';
import type { CallContext } from '../server/types';

export interface WorldRegistryOptions {
  /** Epoch ms of the server clock's start. */
  startTime?: number;
  /** The region that holds the demo data (default us-east-1). */
  demoRegion?: string;
  /** Seed demo data at all (default true). */
  demo?: boolean;
}

export class WorldRegistry {
  private readonly worlds = new Map<string, World>();
  private startTime: number | undefined;

  constructor(private readonly options: WorldRegistryOptions = {}) {
    this.startTime = options.startTime;
  }

  get(accountId: string, region: string, now: number): World {
    const key = `${accountId}/${region}`;
    let world = this.worlds.get(key);
    if (!world) {
      this.startTime ??= now;
      const demo = (this.options.demo ?? true) && region === (this.options.demoRegion ?? 'us-east-1');
      world = createWorld({ startTime: this.startTime, accountId, region, demo });
      this.worlds.set(key, world);
    }
    return world;
  }

  forCall(ctx: CallContext): World {
    return this.get(ctx.principal.accountId, ctx.region, ctx.now);
  }
}

/** The process-wide registry behind handleCloudWatch and handleLogs, so both see one world. */
export const defaultWorlds = new WorldRegistry();
