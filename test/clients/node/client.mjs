// An AWS client on SDK v3 for JavaScript (the project's version), as a user's Node program
// would be: clients made once with the default credential chain, region and endpoint from
// the environment. The contract shared by every client program in test/clients:
//   client.mjs identity allowed denied   → one JSON line per op
//   client.mjs --loop                    → one op per stdin line, one JSON line each
// identity: sts GetCallerIdentity → {op, ok, arn, accessKeyId}
// allowed:  rds DescribeDBInstances → {op, ok}
// denied:   ec2 DescribeInstances → {op, ok:false, code, error}
// any failure → {op, ok:false, code, error} with the whole message, causes included.
import { createInterface } from 'node:readline';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { RDSClient, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { EC2Client, DescribeInstancesCommand } from '@aws-sdk/client-ec2';

const options = { maxAttempts: 1 };
const sts = new STSClient(options);
const rds = new RDSClient(options);
const ec2 = new EC2Client(options);

function describe(error) {
  const parts = [];
  for (let e = error; e; e = e.cause) parts.push(e.message ?? String(e));
  return parts.join(' | caused by: ');
}

const ops = {
  async identity() {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    const credentials = await sts.config.credentials();
    return { arn: out.Arn, accessKeyId: credentials.accessKeyId };
  },
  async allowed() {
    await rds.send(new DescribeDBInstancesCommand({}));
    return {};
  },
  async denied() {
    await ec2.send(new DescribeInstancesCommand({}));
    return {};
  },
};

async function run(op) {
  let line;
  try {
    if (!ops[op]) throw new Error(`unknown op ${op}`);
    line = { op, ok: true, ...(await ops[op]()) };
  } catch (error) {
    line = { op, ok: false, code: error.Code ?? error.name ?? 'Error', error: describe(error) };
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--loop') {
  for await (const op of createInterface({ input: process.stdin })) if (op.trim()) await run(op.trim());
} else {
  for (const op of args) await run(op);
}
