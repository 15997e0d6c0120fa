import { eventStoreAppend } from "./eventStoreAppend.bench.js";
import type { BenchSuite } from "./suite.js";

/** Every benchmark suite, by name (`npm run bench -- <name>`). */
export const SUITES: readonly BenchSuite[] = [eventStoreAppend];
