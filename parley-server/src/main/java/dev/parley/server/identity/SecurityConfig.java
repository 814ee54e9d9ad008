package dev.parley.server.identity;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two filter chains. The machine chain ({@code /api/**}, {@code /webhooks/**}, {@code /actuator/**}) is
 * stateless: bearer API tokens, no sessions, no CSRF (no cookies are involved), JSON 401/403; webhooks and
 * health are public (webhooks verify Meta's signature themselves). The web chain covers everything else and
 * is the web UI's: session-based form login with CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokens tokens, JsonMapper json) throws Exception {
        JsonSecurityErrors errors = new JsonSecurityErrors(json);
        http.securityMatcher("/api/**", "/webhooks/**", "/actuator/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/webhooks/**").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    /**
     * The web UI: sessions with form login ({@code /login}, email + password), CSRF on every state-changing
     * request (forms carry the token; htmx sends it as a header), a strict Content-Security-Policy (scripts only
     * from this origin, no inline scripts). Browsers (Accept: text/html) are sent to the sign-in page; other
     * clients get the JSON 401.
     */
    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http, JsonMapper json, Users users, UserDetailsService details,
                                 PasswordEncoder encoder) throws Exception {
        JsonSecurityErrors errors = new JsonSecurityErrors(json);
        MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        browsers.setIgnoredMediaTypes(java.util.Set.of(MediaType.ALL));
        http.exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers)
                        .defaultAuthenticationEntryPointFor(errors, AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler(errors))
                .httpBasic(b -> b.disable())
                .authenticationProvider(new SessionLoginProvider(details, encoder, users))
                .formLogin(f -> f.loginPage("/login").usernameParameter("email").passwordParameter("password")
                        .defaultSuccessUrl("/app/inbox", false).failureUrl("/login?error").permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?signed-out")
                        .deleteCookies("JSESSIONID"))
                .addFilterBefore(new SessionActorRefresh(users), AuthorizationFilter.class)
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(
                                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                        + "img-src 'self' data:; media-src 'self'; object-src 'none'; "
                                        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/error", "/login", "/webjars/**", "/css/**", "/js/**", "/favicon.ico")
                        .permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    /** Publishes sign-in successes and failures as events ({@link LoginEvents} audits them). */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher publisher) {
        return new DefaultAuthenticationEventPublisher(publisher);
    }

    /** BCrypt (Spring Security's delegating default, {@code {bcrypt}} prefixed so the algorithm can change later). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Users sign in to the web UI with their email; also keeps Boot from creating its default user. */
    @Bean
    UserDetailsService userDetailsService(Users users) {
        return email -> users.findByEmail(email)
                .flatMap(u -> users.passwordHash(u.id()).map(hash -> org.springframework.security.core.userdetails.User
                        .withUsername(u.email()).password(hash).roles(u.role().name()).build()))
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
