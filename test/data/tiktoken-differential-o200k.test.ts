import { describeDifferential } from './tiktoken-oracle.js';

describeDifferential('o200k_base', 71);
