export { maxDrawdown } from './drawdown.js';
