from django.contrib.auth.hashers import Argon2PasswordHasher


class IProfArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's 46 MiB / 1 pass / 1 lane profile.

    PBKDF2 at Django's 1,000,000 iterations cost ~0.36 s of a core per login and
    starved the workers on closing day (make bench); this costs ~0.1 s and is
    memory-hard. Existing PBKDF2 hashes are upgraded at the next login.
    """

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 47104
    parallelism = 1
