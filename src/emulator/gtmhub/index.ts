export { startGtmhubEmulator } from './server.js';
export type { GtmhubEmulator, GtmhubEmulatorOptions, EmulatorRequestLogEntry } from './server.js';
export type {
  EmulatorData,
  EmulatorFaults,
  EmulatorGoal,
  EmulatorMetric,
  EmulatorSession,
  EmulatorSnapshot,
  EmulatorState,
  EmulatorTeam,
  EmulatorToken,
  EmulatorUser,
} from './types.js';
export { DEFAULT_FAULTS } from './faults.js';
export { demoEmulatorData, DEMO_ACCOUNT_ID, DEMO_ADMIN_TOKEN, DEMO_BASE_DATE, DEMO_MEMBER_TOKEN, DEMO_USER_IDS } from './demo-data.js';
export { generateEmulatorData, GENERATED_ACCOUNT_ID, type GenerateOptions } from './generate.js';
export { NO_DUE_DATE } from './dates.js';
