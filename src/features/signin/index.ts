export { SignInScreen, type SignInScreenProps } from './SignInScreen';
export type { SignedInClerk } from './clerk-session';
