// The AWS CLIs users type in a terminal: the `aws` on PATH and Debian's 2023 /usr/bin/aws.
import { defineClientSuite } from './suite';

defineClientSuite(['aws-on-path', 'aws-debian']);
