import { describeDifferential } from './tiktoken-oracle.js';

describeDifferential('cl100k_base', 17);
