from . import mass_mailing
from . import pharmacy_opt_out_mixin
from . import res_partner
from . import mail_mass_mailing
from . import mail_mass_mailing_contact
from . import pharmacy_consent
from . import mail_mass_mailing_list
from . import pharmacy_segment
