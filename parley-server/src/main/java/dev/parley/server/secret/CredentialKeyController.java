package dev.parley.server.secret;

import dev.parley.server.audit.AuditLog;
import dev.parley.server.identity.Actor;
import dev.parley.server.identity.Organizations;
import dev.parley.server.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/admin/credential-key}: the installation's owners (owners of the first organization) see the
 * key status and rotate the key while Parley runs.
 */
@RestController
@RequestMapping("/api/v1/admin/credential-key")
class CredentialKeyController {

    private final CredentialKeyRotation rotation;
    private final SecretBox box;
    private final Organizations organizations;
    private final AuditLog audit;

    CredentialKeyController(CredentialKeyRotation rotation, SecretBox box, Organizations organizations, AuditLog audit) {
        this.rotation = rotation;
        this.box = box;
        this.organizations = organizations;
        this.audit = audit;
    }

    /** {@code new_key}: base64 of 32 random bytes (generated when absent); {@code retire_old_keys}: default true. */
    record RotateRequest(String newKey, Boolean retireOldKeys) {
    }

    @GetMapping
    Map<String, Object> status(Actor actor) {
        requireInstanceOwner(actor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("primary_key_id", box.primaryKeyId());
        body.put("key_ids", box.keyIds());
        body.put("pending", rotation.pending());
        return body;
    }

    @PostMapping("/rotate")
    Map<String, Object> rotate(Actor actor, @RequestBody(required = false) RotateRequest body) {
        requireInstanceOwner(actor);
        boolean retire = body == null || body.retireOldKeys() == null || body.retireOldKeys();
        CredentialKeyRotation.Result result;
        try {
            if (body != null && body.newKey() != null && !body.newKey().isBlank()) {
                byte[] key;
                try {
                    key = CredentialKeyStore.decode(body.newKey(), "new_key");
                } catch (IllegalStateException e) {
                    throw ApiException.badRequest("validation_failed", e.getMessage());
                }
                result = rotation.rotate(key, retire);
            } else {
                result = rotation.rotate(retire);
            }
        } catch (CredentialKeyRotation.AlreadyRunning e) {
            throw ApiException.conflict("rotation_running", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("key_known", e.getMessage());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reencrypted", result.reencrypted());
        details.put("failed", result.failed());
        details.put("retired_key_ids", result.retiredKeyIds());
        audit.record(actor, "credential_key.rotated", result.primaryKeyId(), details);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("primary_key_id", result.primaryKeyId());
        out.put("reencrypted", result.reencrypted());
        out.put("failed", result.failed());
        out.put("retired_key_ids", result.retiredKeyIds());
        out.put("columns", result.perColumn());
        return out;
    }

    private void requireInstanceOwner(Actor actor) {
        if (!actor.isInstanceOwner(organizations)) {
            throw ApiException.forbidden("only owners of the installation's first organization manage the credential key");
        }
    }
}
