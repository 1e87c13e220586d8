// boto3 scripts: the machine's python3 and the newest boto3 wheel installable offline.
import { defineClientSuite } from './suite';

defineClientSuite(['boto3', 'boto3-newest']);
