import { describeCrossProcessContract, sqliteBackend } from '../contract/index.js';

describeCrossProcessContract(sqliteBackend());
