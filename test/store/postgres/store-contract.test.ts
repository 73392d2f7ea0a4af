import { describeStoreContract, postgresBackend } from '../contract/index.js';

describeStoreContract(postgresBackend());
