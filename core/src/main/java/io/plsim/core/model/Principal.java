package io.plsim.core.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM principal that can call the API or be allowed on an endpoint service: an account's root,
 * an IAM user, or an IAM role, or {@code *} for everyone.
 *
 * <p>Only the three ARN shapes of the user guide are accepted; a path inside a user or role name
 * ({@code user/team/alice}) is kept as part of the name, as IAM does.
 */
public record Principal(Kind kind, String accountId, String name) {

    /** What kind of principal an ARN names; {@link #typeName()} is the EC2 {@code PrincipalType}. */
    public enum Kind {
        ALL("All"), ACCOUNT("Account"), USER("User"), ROLE("Role");

        private final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }

        public String typeName() {
            return typeName;
        }
    }

    /** Everyone, in every account. */
    public static final Principal ALL = new Principal(Kind.ALL, null, null);

    private static final Pattern ARN = Pattern.compile(
            "arn:aws:iam::(\\d{12}):(?:(root)|(user|role)/((?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}))");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public Principal {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.ALL) {
            if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
                throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
            }
        }
        if ((kind == Kind.USER || kind == Kind.ROLE) && (name == null || name.isEmpty())) {
            throw new IllegalArgumentException(kind.typeName() + " needs a name");
        }
    }

    public static Principal root(String accountId) {
        return new Principal(Kind.ACCOUNT, accountId, null);
    }

    public static Principal user(String accountId, String name) {
        return new Principal(Kind.USER, accountId, name);
    }

    public static Principal role(String accountId, String name) {
        return new Principal(Kind.ROLE, accountId, name);
    }

    /** Parses {@code *} or a root, user or role ARN; empty when the text is none of these. */
    public static Optional<Principal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.equals("*")) {
            return Optional.of(ALL);
        }
        Matcher m = ARN.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(2) != null) {
            return Optional.of(root(m.group(1)));
        }
        Kind kind = m.group(3).equals("user") ? Kind.USER : Kind.ROLE;
        return Optional.of(new Principal(kind, m.group(1), m.group(4)));
    }

    /** The ARN as AWS prints it, or {@code *}. */
    public String arn() {
        return switch (kind) {
            case ALL -> "*";
            case ACCOUNT -> "arn:aws:iam::" + accountId + ":root";
            case USER -> "arn:aws:iam::" + accountId + ":user/" + name;
            case ROLE -> "arn:aws:iam::" + accountId + ":role/" + name;
        };
    }

    @Override
    public String toString() {
        return arn();
    }
}
