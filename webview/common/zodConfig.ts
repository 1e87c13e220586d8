// Imported first by every panel entry, before any schema exists: zod probes `new Function`
// when it builds object schemas unless told not to, and under our CSP (no unsafe-eval)
// that probe is reported as a security policy violation.
import * as z from 'zod';

z.config({ jitless: true });
