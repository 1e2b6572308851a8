// HQ's private documents (database caja-hq): stores, staff accounts and refresh tokens. They never
// replicate to stores; what a store needs of them is projected into its own database.
import type { SecretHash } from '../../shared/model/types';

export type StoreStatus = 'pending' | 'active' | 'suspended';

export interface StoreRecord {
  _id: string; // store:<CODE>
  _rev?: string;
  type: 'store';
  code: string;
  name: string;
  address: string;
  timeZone: string;
  currency: string;
  locale: 'en' | 'es';
  taxMode: 'exclusive' | 'inclusive';
  status: StoreStatus;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  suspendedAt: string | null;
  /** The one outstanding provisioning token: only a hash of its secret is kept. */
  syncToken: { id: string; secretHash: string; expiresAt: string; createdAt: string; usedAt: string | null; revokedAt: string | null } | null;
  /** The store credential handed to the relay at provisioning (hash only); replaced on re-provisioning. */
  credential: { id: string; secretHash: string; issuedAt: string } | null;
}

export interface HqUser {
  _id: string; // hquser:<id>
  _rev?: string;
  type: 'hquser';
  id: string;
  username: string;
  displayName: string;
  email?: string;
  passwordHash: SecretHash | null;
  pinHash: SecretHash | null;
  /** Roles at HQ (role ids), e.g. ['role:hqadmin']. */
  roles: string[];
  /** Roles per store: store code -> role ids. Assignment projects a user doc into that store's database. */
  storeRoles: Record<string, string[]>;
  active: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface RefreshToken {
  _id: string; // refresh:<sha256 of the token>
  _rev?: string;
  type: 'refresh';
  userId: string;
  createdAt: string;
  expiresAt: string;
}

