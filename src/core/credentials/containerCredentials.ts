// The JSON the container credential provider of every AWS SDK and of the CLI reads
// (ECS task-role format). SDK v3 `fromHttp` requires AccessKeyId, SecretAccessKey,
// Token and Expiration as strings, Expiration in RFC 3339; botocore 2.9's
// ContainerProvider reads the same four keys. RoleArn is informational.
import { type Session } from '../session';

export interface ContainerCredentialsJson {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
  RoleArn?: string;
}

/** RFC 3339 without milliseconds, as STS and ECS write it; rounds down, never later. */
export function getRfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function getContainerCredentials(session: Session): ContainerCredentialsJson {
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = session.credentials;
  return {
    AccessKeyId: accessKeyId,
    SecretAccessKey: secretAccessKey,
    Token: sessionToken,
    Expiration: getRfc3339(expiration),
    RoleArn: session.roleArn,
  };
}

/** Serialised once per session so the hot path only writes a ready buffer. */
export function getContainerCredentialsBody(session: Session): Buffer {
  return Buffer.from(JSON.stringify(getContainerCredentials(session)), 'utf8');
}
