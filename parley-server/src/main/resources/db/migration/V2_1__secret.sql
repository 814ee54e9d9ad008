-- Secret feature: small settings stored encrypted by SecretBox (such as the fingerprint HMAC key).
CREATE TABLE secret_settings (
    name             VARCHAR(100) PRIMARY KEY,
    encrypted_value  VARCHAR(2000) NOT NULL
);
