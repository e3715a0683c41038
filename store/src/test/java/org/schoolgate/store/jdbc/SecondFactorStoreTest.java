package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.Account;
import org.schoolgate.store.Actor;
import org.schoolgate.store.AuditRecord;
import org.schoolgate.store.AuditTrail;
import org.schoolgate.store.Role;
import org.schoolgate.store.SecondFactorStore;
import org.schoolgate.store.SecondFactorStore.Enrolment;
import org.schoolgate.store.StoreException;

class SecondFactorStoreTest {
  private static final Actor SYSTEM = Actor.system("cli");
  private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String CODE_A = "a".repeat(64);
  private static final String CODE_B = "b".repeat(64);

  @DatabaseTest
  void anAccountWithoutARowIsNotEnrolledAndEnrolmentKeepsTheSecretAndCodes(TestDatabase db) {
    Account dsl = dsl(db);
    SecondFactorStore factors = db.store().secondFactors();
    assertThat(factors.enrolment(dsl.id())).isEmpty();

    Enrolment e = factors.enrol(dsl.id(), SECRET, 100, List.of(CODE_A, CODE_B), SYSTEM);

    assertThat(e.secret()).isEqualTo(SECRET);
    assertThat(e.lastStep()).isEqualTo(100);
    assertThat(e.recoveryCodesLeft()).isEqualTo(2);
    assertThat(factors.enrolment(dsl.id())).contains(e);
    assertThat(e.toString()).doesNotContain(SECRET);
    assertThatThrownBy(() -> factors.enrol(dsl.id(), SECRET, 101, List.of(), SYSTEM))
        .isInstanceOf(StoreException.class).hasMessageContaining("already has a second factor");
  }

  @DatabaseTest
  void aTimeStepIsAcceptedOnceAndNeverAnEarlierOne(TestDatabase db) {
    Account dsl = dsl(db);
    SecondFactorStore factors = db.store().secondFactors();
    factors.enrol(dsl.id(), SECRET, 100, List.of(CODE_A), SYSTEM);

    assertThat(factors.accept(dsl.id(), 100, SYSTEM)).as("the enrolment's own code").isFalse();
    assertThat(factors.accept(dsl.id(), 101, SYSTEM)).isTrue();
    assertThat(factors.accept(dsl.id(), 101, SYSTEM)).as("replayed").isFalse();
    assertThat(factors.accept(dsl.id(), 99, SYSTEM)).as("older").isFalse();
  }

  @DatabaseTest
  void failuresCountAndLockUntilACodeIsAccepted(TestDatabase db) {
    Account dsl = dsl(db);
    SecondFactorStore factors = db.store().secondFactors();
    factors.enrol(dsl.id(), SECRET, 100, List.of(CODE_A), SYSTEM);
    Instant until = TestDatabase.START.plusSeconds(60);

    assertThat(factors.failed(dsl.id(), null, SYSTEM)).isEqualTo(1);
    assertThat(factors.failed(dsl.id(), until, SYSTEM)).isEqualTo(2);
    assertThat(factors.enrolment(dsl.id()).orElseThrow().lockedUntil()).isEqualTo(until);

    assertThat(factors.accept(dsl.id(), 102, SYSTEM)).isTrue();
    Enrolment after = factors.enrolment(dsl.id()).orElseThrow();
    assertThat(after.failures()).isZero();
    assertThat(after.lockedUntil()).isNull();
  }

  @DatabaseTest
  void aRecoveryCodeWorksOnceAndIsAudited(TestDatabase db) {
    Account dsl = dsl(db);
    SecondFactorStore factors = db.store().secondFactors();
    factors.enrol(dsl.id(), SECRET, 100, List.of(CODE_A, CODE_B), SYSTEM);

    assertThat(factors.useRecoveryCode(dsl.id(), CODE_A, SYSTEM)).isTrue();
    assertThat(factors.useRecoveryCode(dsl.id(), CODE_A, SYSTEM)).as("spent").isFalse();
    assertThat(factors.useRecoveryCode(dsl.id(), "c".repeat(64), SYSTEM)).as("unknown").isFalse();
    assertThat(factors.enrolment(dsl.id()).orElseThrow().recoveryCodesLeft()).isEqualTo(1);

    List<AuditRecord> audit = db.store().audit().query(AuditTrail.Query.all());
    assertThat(audit).extracting(AuditRecord::type)
        .contains("account.second_factor_enrolled", "login.recovery_code");
    assertThat(audit).allSatisfy(r -> assertThat(r.toString()).doesNotContain(SECRET).doesNotContain(CODE_A));
  }

  @DatabaseTest
  void resetRemovesTheEnrolmentSoTheAccountEnrolsAgain(TestDatabase db) {
    Account dsl = dsl(db);
    SecondFactorStore factors = db.store().secondFactors();
    factors.enrol(dsl.id(), SECRET, 100, List.of(CODE_A), SYSTEM);

    assertThat(factors.reset(dsl.id(), "lost phone", SYSTEM)).isTrue();
    assertThat(factors.enrolment(dsl.id())).isEmpty();
    assertThat(factors.reset(dsl.id(), "again", SYSTEM)).isFalse();
    assertThat(factors.enrol(dsl.id(), SECRET, 5, List.of(CODE_A), SYSTEM).recoveryCodesLeft()).isEqualTo(1);
  }

  private static Account dsl(TestDatabase db) {
    return db.store().accounts().create("dsl", "The DSL", "correct horse battery".toCharArray(), Set.of(Role.DSL),
        SYSTEM);
  }
}
