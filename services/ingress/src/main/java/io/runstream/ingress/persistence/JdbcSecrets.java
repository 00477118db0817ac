package io.runstream.ingress.persistence;

import io.runstream.api.secrets.SecretCipher;
import io.runstream.ingress.secrets.SecretInfo;
import io.runstream.ingress.secrets.Secrets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Secrets in PostgreSQL, only ever encrypted. */
@Repository
class JdbcSecrets implements Secrets {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    JdbcSecrets(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Override
    public Put put(String tenant, String name, SecretCipher.Sealed sealed, Instant now) {
        // xmax is 0 for a row the statement inserted, and the updating transaction's id for one it updated
        return jdbc.sql("""
                INSERT INTO secrets (tenant, name, key_id, nonce, ciphertext, created_at, updated_at, sealed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant, name) DO UPDATE SET key_id = excluded.key_id, nonce = excluded.nonce,
                    ciphertext = excluded.ciphertext, updated_at = excluded.updated_at,
                    sealed_at = excluded.sealed_at, published_at = NULL
                RETURNING created_at, updated_at, xmax = 0""")
                .params(tenant, name, sealed.keyId(), sealed.nonce(), sealed.ciphertext(), Timestamp.from(now),
                        Timestamp.from(now), Timestamp.from(now))
                .query((rs, i) -> new Put(new SecretInfo(name, rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2).toInstant()), rs.getBoolean(3), new Stored(tenant, name, sealed)))
                .single();
    }

    @Override
    public List<SecretInfo> list(String tenant) {
        return jdbc.sql("SELECT name, created_at, updated_at FROM secrets WHERE tenant = ? ORDER BY name")
                .param(tenant).query((rs, i) -> new SecretInfo(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant())).list();
    }

    @Override
    public boolean delete(String tenant, String name, Runnable beforeCommit) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            boolean deleted = jdbc.sql("DELETE FROM secrets WHERE tenant = ? AND name = ?").params(tenant, name)
                    .update() > 0;
            if (deleted) {
                beforeCommit.run();
            }
            return deleted;
        }));
    }

    @Override
    public List<Stored> notUnder(String keyId, int limit) {
        return jdbc.sql("""
                SELECT tenant, name, key_id, nonce, ciphertext FROM secrets WHERE key_id <> ?
                ORDER BY tenant, name LIMIT ?""")
                .params(keyId, limit).query((rs, i) -> new Stored(rs.getString(1), rs.getString(2),
                        new SecretCipher.Sealed(rs.getString(3), rs.getBytes(4), rs.getBytes(5)))).list();
    }

    @Override
    public boolean reseal(Stored read, SecretCipher.Sealed sealed, Instant now) {
        return jdbc.sql("""
                UPDATE secrets SET key_id = ?, nonce = ?, ciphertext = ?, sealed_at = ?, published_at = NULL
                WHERE tenant = ? AND name = ? AND key_id = ? AND nonce = ?""")
                .params(sealed.keyId(), sealed.nonce(), sealed.ciphertext(), Timestamp.from(now), read.tenant(),
                        read.name(), read.sealed().keyId(), read.sealed().nonce()).update() > 0;
    }

    @Override
    public List<Stored> unpublished(Instant sealedBefore, int limit) {
        return jdbc.sql("""
                SELECT tenant, name, key_id, nonce, ciphertext FROM secrets
                WHERE published_at IS NULL AND sealed_at < ? ORDER BY sealed_at LIMIT ?""")
                .params(Timestamp.from(sealedBefore), limit).query((rs, i) -> new Stored(rs.getString(1),
                        rs.getString(2), new SecretCipher.Sealed(rs.getString(3), rs.getBytes(4), rs.getBytes(5))))
                .list();
    }

    @Override
    public void markPublished(Stored stored, Instant now) {
        jdbc.sql("UPDATE secrets SET published_at = ? WHERE tenant = ? AND name = ? AND nonce = ?")
                .params(Timestamp.from(now), stored.tenant(), stored.name(), stored.sealed().nonce()).update();
    }
}
