import { eventStoreAppend } from "./eventStoreAppend.bench.js";
import type { BenchSuite } from "./suite.js";
import { taskStart } from "./taskStart.bench.js";

/** Every benchmark suite, by name (`npm run bench -- <name>`). */
export const SUITES: readonly BenchSuite[] = [eventStoreAppend, taskStart];
