export { SignInScreen, type SignInScreenProps } from './SignInScreen';
export { ClerkBar } from './ClerkBar';
export type { SignedInClerk } from './clerk-session';
