package dev.parley.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic webhook deliveries built from the conformance payloads (Meta's real shapes, copied into this jar under
 * {@code conformance/payloads}): every inbound message type and every status kind, with fresh wamids, the target
 * integration's phone_number_id, a pool of customers, and a mix of batch sizes. Each item is rendered from a
 * pre-split template (no JSON library on the hot path), then the body is signed with the integration's app secret.
 */
final class Deliveries {

    static final String[] MESSAGE_TEMPLATES = {
            "inbound-text", "inbound-text", "inbound-text", "inbound-text", "inbound-reply-context",
            "inbound-image", "inbound-image", "inbound-document", "inbound-video", "inbound-voice", "inbound-sticker",
            "inbound-location", "inbound-contacts", "inbound-reaction", "inbound-reaction-escaped-emoji",
            "inbound-interactive-button-reply", "inbound-interactive-list-reply", "inbound-interactive-nfm-reply",
            "inbound-button-template-quick-reply", "inbound-order", "inbound-referral", "inbound-forwarded",
            "inbound-unsupported", "inbound-unknown-meta-postman"};
    static final String[] STATUS_TEMPLATES = {
            "status-sent", "status-sent", "status-delivered", "status-delivered", "status-read", "status-read",
            "status-failed", "status-played", "status-failed-media-upload"};

    /** One integration as the tool sees it: where to post and how to sign. */
    record Target(int index, String path, String phoneNumberId, String displayPhone, String wabaId, String appSecret,
                  String integrationId) {
    }

    /** A delivery ready to send, and what it carries (for the exactly-once check). */
    static final class Delivery {
        final Target target;
        final byte[] request;
        final String[] messageWamids;
        final int statuses;

        Delivery(Target target, byte[] request, String[] messageWamids, int statuses) {
            this.target = target;
            this.request = request;
            this.messageWamids = messageWamids;
            this.statuses = statuses;
        }

        int items() {
            return messageWamids.length + statuses;
        }
    }

    /** A JSON text with placeholders, split once so rendering is appends only. */
    static final class Tpl {
        private final String[] parts;
        private final int[] keys;

        Tpl(String text) {
            List<String> p = new ArrayList<>();
            List<Integer> k = new ArrayList<>();
            int from = 0;
            while (true) {
                int at = text.indexOf("@@", from);
                if (at < 0) {
                    break;
                }
                int end = text.indexOf("@@", at + 2);
                p.add(text.substring(from, at));
                k.add(switch (text.substring(at + 2, end)) {
                    case "WAMID" -> 0;
                    case "FROM" -> 1;
                    case "TS" -> 2;
                    case "NAME" -> 3;
                    default -> throw new IllegalArgumentException(text.substring(at, end + 2));
                });
                from = end + 2;
            }
            p.add(text.substring(from));
            parts = p.toArray(String[]::new);
            keys = k.stream().mapToInt(Integer::intValue).toArray();
        }

        void render(StringBuilder sb, String wamid, String from, String ts, String name) {
            for (int i = 0; i < keys.length; i++) {
                sb.append(parts[i]);
                sb.append(switch (keys[i]) {
                    case 0 -> wamid;
                    case 1 -> from;
                    case 2 -> ts;
                    default -> name;
                });
            }
            sb.append(parts[parts.length - 1]);
        }
    }

    private final List<Tpl> messages = new ArrayList<>();
    private final List<Tpl> statuses = new ArrayList<>();
    private final Tpl contact = new Tpl("{\"profile\":{\"name\":\"@@NAME@@\"},\"wa_id\":\"@@FROM@@\"}");

    Deliveries() {
        JsonMapper json = JsonMapper.builder().build();
        for (String name : MESSAGE_TEMPLATES) {
            ObjectNode m = (ObjectNode) value(json, name).get("messages").get(0).deepCopy();
            m.put("id", "@@WAMID@@");
            m.put("from", "@@FROM@@");
            m.put("timestamp", "@@TS@@");
            messages.add(new Tpl(asciiJson(json.writeValueAsString(m))));
        }
        for (String name : STATUS_TEMPLATES) {
            ObjectNode s = (ObjectNode) value(json, name).get("statuses").get(0).deepCopy();
            s.put("id", "@@WAMID@@");
            s.put("recipient_id", "@@FROM@@");
            s.put("timestamp", "@@TS@@");
            statuses.add(new Tpl(asciiJson(json.writeValueAsString(s))));
        }
    }

    /** Meta escapes every non-ASCII character as {@code \\uXXXX} and signs that text; so do we. */
    static String asciiJson(String json) {
        StringBuilder sb = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static JsonNode value(JsonMapper json, String name) {
        String path = "/conformance/payloads/" + name + ".json";
        try (InputStream in = Deliveries.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path);
            }
            return json.readTree(in).get("entry").get(0).get("changes").get(0).get("value");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes deliveries for one sending thread (not thread-safe; one per thread). Wamids are unique per run, thread
     * and counter.
     */
    final class Generator {
        private final SplittableRandom random;
        private final String wamidPrefix;
        private final List<Target> targets;
        private final String host;
        private final Mac[] macs;
        private final int customers;
        private long counter;
        /** Calibration mix: every delivery one text message (the peer README's wrk body). */
        boolean textOnly;
        private final StringBuilder body = new StringBuilder(4096);

        Generator(String runId, int thread, List<Target> targets, String host, int customers, long seed) {
            this.random = new SplittableRandom(seed);
            this.wamidPrefix = "wamid.HBgLBENCH" + runId + "T" + thread + "N";
            this.targets = targets;
            this.host = host;
            this.customers = customers;
            this.macs = new Mac[targets.size()];
            try {
                for (int i = 0; i < macs.length; i++) {
                    macs[i] = Mac.getInstance("HmacSHA256");
                    macs[i].init(new SecretKeySpec(targets.get(i).appSecret().getBytes(StandardCharsets.UTF_8),
                            "HmacSHA256"));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * The mix: 55% one message, 25% one to three statuses, 12% two to ten messages, 7% ten to twenty-five
         * mixed items, 1% fifty to a hundred mixed items (Meta batches up to 1000 updates per POST).
         */
        Delivery next() {
            Target t = targets.get(random.nextInt(targets.size()));
            if (textOnly) {
                return build(t, 1, 0);
            }
            int roll = random.nextInt(100);
            int msgs;
            int stats;
            if (roll < 55) {
                msgs = 1;
                stats = 0;
            } else if (roll < 80) {
                msgs = 0;
                stats = 1 + random.nextInt(3);
            } else if (roll < 92) {
                msgs = 2 + random.nextInt(9);
                stats = 0;
            } else if (roll < 99) {
                int n = 10 + random.nextInt(16);
                msgs = random.nextInt(n + 1);
                stats = n - msgs;
            } else {
                int n = 50 + random.nextInt(51);
                msgs = random.nextInt(n + 1);
                stats = n - msgs;
            }
            return build(t, msgs, stats);
        }

        private String customer() {
            return "1650555" + String.format("%04d", random.nextInt(customers));
        }

        private Delivery build(Target t, int msgs, int stats) {
            String ts = Long.toString(System.currentTimeMillis() / 1000);
            String[] wamids = new String[msgs];
            StringBuilder sb = body;
            sb.setLength(0);
            sb.append("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"").append(t.wabaId())
                    .append("\",\"changes\":[");
            // messages: one change per customer, as Meta groups them; statuses in one change
            boolean firstChange = true;
            int i = 0;
            while (i < msgs) {
                int inThis = Math.min(msgs - i, 1 + random.nextInt(3));
                String from = customer();
                if (!firstChange) {
                    sb.append(',');
                }
                firstChange = false;
                openValue(sb, t);
                sb.append(",\"contacts\":[");
                contact.render(sb, null, from, null, "Customer " + from.substring(7));
                sb.append("],\"messages\":[");
                for (int k = 0; k < inThis; k++, i++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    wamids[i] = wamidPrefix + (counter++);
                    (textOnly ? messages.get(0) : messages.get(random.nextInt(messages.size()))).render(sb, wamids[i], from, ts, null);
                }
                sb.append("]},\"field\":\"messages\"}");
            }
            if (stats > 0) {
                if (!firstChange) {
                    sb.append(',');
                }
                openValue(sb, t);
                sb.append(",\"statuses\":[");
                for (int k = 0; k < stats; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    statuses.get(random.nextInt(statuses.size())).render(sb, wamidPrefix + (counter++) + "S",
                            customer(), ts, null);
                }
                sb.append("]},\"field\":\"messages\"}");
            }
            sb.append("]}]}");
            byte[] raw = sb.toString().getBytes(StandardCharsets.UTF_8);
            String signature = hex(macs[t.index()].doFinal(raw));
            String head = "POST " + t.path() + " HTTP/1.1\r\nHost: " + host
                    + "\r\nContent-Type: application/json\r\nUser-Agent: facebookexternalua\r\nAccept: */*"
                    + "\r\nX-Hub-Signature-256: sha256=" + signature + "\r\nContent-Length: " + raw.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = new byte[h.length + raw.length];
            System.arraycopy(h, 0, request, 0, h.length);
            System.arraycopy(raw, 0, request, h.length, raw.length);
            return new Delivery(t, request, wamids, stats);
        }

        private void openValue(StringBuilder sb, Target t) {
            sb.append("{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"")
                    .append(t.displayPhone()).append("\",\"phone_number_id\":\"").append(t.phoneNumberId())
                    .append("\"}");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }
}
