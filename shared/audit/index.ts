export { decodeCursor, encodeCursor, filterDigest, type HistoryCursor } from "./historyCursor.js";
export type { HistoryFilter, ScanBy } from "./historyFilter.js";
export { positionAtTime } from "./positionAtTime.js";
export { queryHistory, type HistoryPage } from "./queryHistory.js";
export { resourceSelector, type ResourceSelector } from "./resourceStreams.js";
export { scalableTargetStreams } from "./scalableTargetStreams.js";
export { streamResourceArn } from "./streamResourceArn.js";
export { withProjectionsAt } from "./withProjectionsAt.js";
export { rebuildAt, type RebuildAtResult } from "./rebuildAt.js";
