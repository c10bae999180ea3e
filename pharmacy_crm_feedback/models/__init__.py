# Copyright 2026 Pharmacy CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from . import survey_survey
from . import survey_question
from . import survey_user_input
from . import survey_user_input_line
from . import res_partner
