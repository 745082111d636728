// Public surface of container logs.
export { encodeFrame, FrameDecoder, STREAM_IDS, type StreamId } from './framing';
export { rfc3339Nano, timeToNs, parseTimeArg, serializeEntry, parseEntry, selectEntries, formatEntry, type LogEntry, type LogStream, type LogSelection } from './jsonlog';
export { LogFollower, TtyLogWriter, splitLines, type FollowedEntry, type FollowerOptions } from './follower';
export { readLogs, type ReadOptions } from './reader';
