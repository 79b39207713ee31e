export { ShiftBar } from './ShiftBar';
