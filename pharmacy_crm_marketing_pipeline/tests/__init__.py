from . import test_referral_profile
