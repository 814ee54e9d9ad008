package dev.parley.server.identity;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The web UI's password sign-in: checks email and password (bcrypt, through Spring Security's
 * {@link DaoAuthenticationProvider}) and makes the session's principal the user's {@link Actor}, so UI
 * controllers take an {@code Actor} exactly as API controllers do.
 */
final class SessionLoginProvider implements AuthenticationProvider {

    private final DaoAuthenticationProvider passwords;
    private final Users users;

    SessionLoginProvider(UserDetailsService details, PasswordEncoder encoder, Users users) {
        this.passwords = new DaoAuthenticationProvider(details);
        this.passwords.setPasswordEncoder(encoder);
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Authentication checked = passwords.authenticate(authentication);
        User user = users.findByEmail(checked.getName())
                .orElseThrow(() -> new org.springframework.security.authentication.BadCredentialsException("gone"));
        return new ActorAuthentication(new Actor(user.orgId(), user.id(), user.role(), user.email(), null));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
