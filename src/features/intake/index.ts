export { IntakeScreen } from './IntakeScreen';
