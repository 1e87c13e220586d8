// Go and Ruby programs on Debian's packaged AWS SDKs.
import { defineClientSuite } from './suite';

defineClientSuite(['go', 'ruby']);
