package io.sluice.jobs.sink.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which stored claims a newer epoch may take over: only an older epoch's, at a position not committed then. */
class ClaimFenceTest {
    private static final ClaimFence EPOCH_3 = new ClaimFence(3, Map.of("events+0", 500L), 7_000L);

    @Test
    void anOlderEpochsClaimAtAnUncommittedPositionIsVoid() {
        assertThat(EventClaims.voided(claim("events+0+500@2"), EPOCH_3)).isTrue();
        assertThat(EventClaims.voided(claim("http+1+7000@1"), EPOCH_3)).isTrue(); // a prefix without its own entry
    }

    @Test
    void committedNewerOwnAndLegacyClaimsAreKept() {
        assertThat(EventClaims.voided(claim("events+0+499@2"), EPOCH_3))
                .as("committed")
                .isFalse();
        assertThat(EventClaims.voided(claim("http+1+6999@1"), EPOCH_3))
                .as("committed")
                .isFalse();
        assertThat(EventClaims.voided(claim("events+0+900@3"), EPOCH_3))
                .as("same epoch")
                .isFalse();
        assertThat(EventClaims.voided(claim("events+0+900@4"), EPOCH_3))
                .as("newer epoch")
                .isFalse();
        assertThat(EventClaims.voided(claim("events+0+900"), EPOCH_3))
                .as("no epoch")
                .isFalse();
        assertThat(EventClaims.voided(claim("http-archived+1+9000@1"), EPOCH_3))
                .as("a catch-up's")
                .isFalse();
        assertThat(EventClaims.voided(claim("events+0+900@2"), ClaimFence.NONE))
                .as("no fence")
                .isFalse();
    }

    @Test
    void theArchiveCatchUpTakesOverEveryEpochsPushClaimFromItsPositionButNeverItsOwn() {
        ClaimFence catchUp = ClaimFence.uncommittedSince(3, "http", 7_000L);
        assertThat(EventClaims.voided(claim("http+1+7000@3"), catchUp))
                .as("this epoch's, uncommitted")
                .isTrue();
        assertThat(EventClaims.voided(claim("http+0+9000@2"), catchUp))
                .as("an older epoch's, uncommitted")
                .isTrue();
        assertThat(EventClaims.voided(claim("http+1+6999@3"), catchUp))
                .as("committed")
                .isFalse();
        assertThat(EventClaims.voided(claim("http-archived+1+9000@2"), catchUp))
                .as("the catch-up's own positions")
                .isFalse();
        assertThat(EventClaims.voided(claim("events+0+9000@2"), catchUp))
                .as("another topic")
                .isFalse();
        assertThat(EventClaims.voided(claim("http+1+9000@4"), catchUp))
                .as("a newer epoch's")
                .isFalse();
    }

    @Test
    void ownershipComparesPositionsWhateverEpochWroteThem() {
        assertThat(EventClaims.samePosition(claim("events+0+9@1"), claim("events+0+9@2")))
                .isTrue();
        assertThat(EventClaims.samePosition(claim("events+0+9"), claim("events+0+9@2")))
                .isTrue();
        assertThat(EventClaims.samePosition(claim("events+0+9@1"), claim("events+0+10@1")))
                .isFalse();
    }

    private static byte[] claim(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
