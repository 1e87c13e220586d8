// Node programs on the AWS SDK for JavaScript v3 (the project's version).
import { defineClientSuite } from './suite';

defineClientSuite(['sdk-v3']);
