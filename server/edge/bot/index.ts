export {
  type BotDefenceMonitor,
  type BotDefenceOptions,
  botDefencePlugin,
  JS_PROOF_COOKIE,
} from './bot-defence.plugin.js';
export {
  type Challenge,
  hasLeadingZeroBits,
  type ProofOfWork,
  type ProofVerdict,
  proofOfWork,
} from './proof-of-work.js';
export { isPublicForBots } from './public-paths.js';
export { ReplayCache } from './replay-cache.js';
export {
  DEFAULT_DIFFICULTY,
  type DifficultyPolicy,
  requiredDifficulty,
  type Suspicion,
  SuspicionTracker,
} from './suspicion-tracker.js';
