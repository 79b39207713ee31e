// Test data shared by the storage, intake and end-to-end tests.
import type { Registration } from '../../src/shared/registration';

/** What the window records beside the facts, for a test veteran. */
export function testRegistration(over: Partial<Registration> = {}): Registration {
  return {
    name: '张三',
    phone: '13800138000',
    address: '呼和浩特市新城区中山路1号',
    dischargeMode: 'discharged',
    unitName: '呼和浩特市第一机械厂',
    superiorName: '呼和浩特市机械工业局',
    confirmedBy: '',
    medicalInsuredAtEnlistment: false,
    medicalFirstInsured: null,
    otherInsuranceNote: '',
    ...over,
  };
}
