import type { Me } from '../../../../contracts/auth.js';
import { UsersAdmin } from '../../admin/users-admin.js';
import { ConnectionsSection } from './connections-section.js';
import { PrivacySection } from './privacy-section.js';
import { SecuritySection } from './security-section.js';

/** The account screens loaded lazily by Settings: security, connections, privacy, and users for admins. */
export function AccountSecurity({ me }: { me: Me }) {
  return (
    <>
      <SecuritySection me={me} />
      <ConnectionsSection />
      <PrivacySection />
      {(me.role === 'owner' || me.role === 'admin') && <UsersAdmin me={me} />}
    </>
  );
}
