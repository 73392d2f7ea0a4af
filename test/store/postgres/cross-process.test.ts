import { describeCrossProcessContract, postgresBackend } from '../contract/index.js';

describeCrossProcessContract(postgresBackend());
