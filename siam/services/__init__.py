"""SIAM services: every action on a demande goes through here, under a transaction,
with the campagne's phase checked on the server and a SiamError (French message) on refusal."""
