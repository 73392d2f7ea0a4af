import { describeStoreContract, sqliteBackend } from '../contract/index.js';

describeStoreContract(sqliteBackend());
