"""What the pharmacy's addons define, found in the registry, so that the RPC suites probe every
pharmacy model and every clinical field without a list to keep up to date (#17).

``describe(env)`` reads the registry and the database of the test process (pytest-odoo loads
the same code and database the served instance runs) into plain data; every other function
works on that description, so that a test can hand them a synthetic one (a new model storing
patient data without protection) and see ``audit`` flag it.

- pharmacy addons: the directories at the repository's root with a ``__manifest__.py``;
- pharmacy models: the models (neither abstract nor transient) that one of them defines, or
  that inherit ``pharmacy.validation.mixin`` (and so ``pharmacy.phi.mixin``);
- PHI models: those inheriting ``pharmacy.phi.mixin``; read-only views: ``_auto = False``;
- clinical fields of a contact: the fields of ``res.partner`` whose ``groups`` name a pharmacy
  staff group. Every field a pharmacy addon adds to a contact is clinical unless it is in
  ``PUBLIC_PARTNER_FIELDS``: a new field without ``groups=`` fails the audit until it is
  declared clinical or public (fail closed).
"""
import itertools
import os
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHI_MIXIN = 'pharmacy.phi.mixin'
VALIDATION_MIXIN = 'pharmacy.validation.mixin'
STAFF_GROUP = 'pharmacy_crm.group_pharmacy_technician'
PARTNER = 'res.partner'
# patients and caregivers on the portal (pharmacy_crm_portal): they read their own records,
# through rules of their group on the portal reader (or, for delegations, the caregiver)
PORTAL_GROUP = 'pharmacy_crm_portal.group_pharmacy_portal'
PORTAL_RULE_FIELDS = ('pharmacy_portal_reader_id', "('delegate_id', '=', user.partner_id.id)")

# What the pharmacy adds to a contact and every user may read: who the contact is for the
# pharmacy (patient, prescriber, pharmacy to refer to), a prescriber's identifiers, the
# patient's service preferences (no clinical content) and the age Odoo's birthdate gives
# anyway. Anything else a pharmacy addon adds to res.partner must declare groups=STAFF_GROUP.
PUBLIC_PARTNER_FIELDS = frozenset([
    'is_patient', 'is_prescriber', 'is_pharmacy', 'npi', 'dea_number', 'prescriber_specialty',
    'fax', 'age', 'generic_preference', 'prefers_90_day_supply', 'fulfillment_method',
    'easy_open_caps', 'large_print_labels', 'preferred_contact_channel',
    'preferred_contact_time',
])
# Pharmacy models another group may access, by design: model -> that group. Patient segments
# (pharmacy_crm_marketing) hold no patient data of their own; marketing users build contact
# segments, and record rules hide clinical segments, their lists and members from them
# (tests/test_phi_rpc.py::test_clinical_segments_by_role).
OUTSIDER_ACCESS = {'pharmacy.segment': 'mass_mailing.group_mass_mailing_user',
                   # journeys and their steps (pharmacy_crm_journey), the same way: no patient
                   # data; clinical journeys hidden by rules; participants are staff's
                   'pharmacy.journey': 'mass_mailing.group_mass_mailing_user',
                   'pharmacy.journey.step': 'mass_mailing.group_mass_mailing_user'}
RELATIONAL = ('many2one', 'one2many', 'many2many')
# Odoo's own fields of every model (the last class that extends a model declares them again)
ODOO_FIELDS = ('id', 'display_name', '__last_update', 'create_uid', 'create_date', 'write_uid',
               'write_date')


def pharmacy_addons(root=ROOT):
    return sorted(name for name in os.listdir(root)
                  if os.path.isfile(os.path.join(root, name, '__manifest__.py')))


# --- the registry as data ----------------------------------------------------------------------
def _field_modules(model, name):
    """The modules whose classes declare the field ``name`` of ``model`` (the classes of the
    addons, not those the registry builds from them: those hold every field)."""
    from odoo import fields
    return {klass._module for klass in type(model).__mro__
            if isinstance(vars(klass).get(name), fields.Field) and
            '_original_module' not in vars(klass) and getattr(klass, '_module', None)}


def _describe_field(model, name, field):
    return {
        'type': field.type, 'relation': field.comodel_name if field.relational else None,
        'store': bool(field.store), 'required': bool(field.required),
        'readonly': bool(field.readonly), 'computed': bool(field.compute or field.related),
        'searchable': bool(field.store or field.search),
        'groups': sorted((field.groups or '').split(',')) if field.groups else [],
        'domain': field.domain if isinstance(getattr(field, 'domain', None), list) else [],
        'default': field.default is not None,
        'selection': [key for key, _label in field._description_selection(model.env)]
        if field.type == 'selection' else [],
        'modules': sorted(_field_modules(model, name)),
    }


def describe(env, addons=None):
    """{'addons': [...], 'staff_groups': [xml ids], 'models': {name: {...}}} for the pharmacy
    models and res.partner, as the registry and the database of ``env`` say."""
    addons = set(addons or pharmacy_addons())
    registry = env.registry
    phi, validated = registry[PHI_MIXIN], registry[VALIDATION_MIXIN]
    staff = env.ref(STAFF_GROUP)
    groups = env['res.groups'].sudo().search([])
    staff_groups = groups.filtered(lambda g: staff in g.trans_implied_ids or g == staff)
    xmlids = groups.get_external_id()
    description = {'addons': sorted(addons), 'models': {},
                   'staff_groups': sorted(xmlids[g.id] for g in staff_groups)}
    buttons = _view_buttons(env, addons)
    for name in sorted(registry):
        cls = registry[name]
        if cls._abstract or not (cls._original_module in addons or issubclass(cls, validated)
                                 or name == PARTNER):
            continue
        model = env[name]
        accesses = env['ir.model.access'].sudo().search([('model_id.model', '=', name)])
        rules = env['ir.rule'].sudo().search([('model_id.model', '=', name)])
        description['models'][name] = {
            'module': cls._original_module,
            'transient': bool(cls._transient),
            'view': not cls._auto,
            'counts_only': bool(getattr(cls, '_pharmacy_counts_only', False)),
            'phi': issubclass(cls, phi),
            'never_delete': bool(getattr(cls, '_pharmacy_never_delete', False)),
            'validated': issubclass(cls, validated),
            'fields': {field_name: _describe_field(model, field_name, field)
                       for field_name, field in model._fields.items()},
            'access': [{'group': xmlids.get(a.group_id.id) if a.group_id else None,
                        'read': a.perm_read, 'write': a.perm_write, 'create': a.perm_create,
                        'unlink': a.perm_unlink} for a in accesses if a.active],
            'rules': [{'global': r['global'], 'domain': r.domain_force or '',
                       'groups': sorted(xmlids.get(g.id) or '' for g in r.groups)}
                      for r in rules if r.active],
            'states': _states(model),
            'actions': sorted(_actions(model, addons) | buttons.get(name, set())),
        }
    return description


def _states(model):
    """{state field: {action: [from states, to state, model of the action]}} as the model
    declares them (``_pharmacy_state_actions``)."""
    from odoo.addons.pharmacy_crm.models.pharmacy_server_fields_mixin import declared_states
    if not hasattr(model, '_pharmacy_check_state_fields'):
        return {}
    return {name: {action: [sorted(sources), target, owner]
                   for action, (sources, target, owner) in actions.items()}
            for name, actions in declared_states(model).items()}


def _actions(model, addons):
    """The public ``action_*`` methods the pharmacy's addons define on ``model``."""
    return {name for klass in type(model).__mro__ if getattr(klass, '_module', None) in addons
            for name, value in vars(klass).items()
            if name.startswith('action_') and callable(value)}


def _view_buttons(env, addons):
    """{model: the methods of its ``type="object"`` buttons in the pharmacy's views}."""
    from lxml import etree
    data = env['ir.model.data'].sudo().search([('model', '=', 'ir.ui.view'),
                                               ('module', 'in', sorted(addons))])
    buttons = {}
    for view in env['ir.ui.view'].sudo().browse(data.mapped('res_id')).exists():
        arch = etree.fromstring(view.arch_db.encode())
        for button in arch.xpath('//button[@type="object"][@name]'):
            # a button in a field's own list or form (a one2many's) is its comodel's
            model = view.model
            for ancestor in reversed(list(button.iterancestors('field'))):
                field = env[model]._fields.get(ancestor.get('name'))
                model = field.comodel_name if field is not None and field.relational else model
            buttons.setdefault(model, set()).add(button.get('name'))
    return buttons


# --- what the tests probe ----------------------------------------------------------------------
def pharmacy_models(description, phi=None, views=None):
    """The stored (not transient) pharmacy models, sorted; ``phi``/``views``: only those that
    are (True) or are not (False) PHI models / read-only views."""
    return sorted(name for name, model in description['models'].items()
                  if name != PARTNER and not model['transient']
                  and (phi is None or model['phi'] == phi)
                  and (views is None or model['view'] == views))


def phi_models(description):
    """The PHI models whose records are written (not the read-only views)."""
    return pharmacy_models(description, phi=True, views=False)


def clinical_fields(description, model=PARTNER):
    """The fields of ``model`` that only pharmacy staff read (their groups are staff groups),
    sorted."""
    staff = set(description['staff_groups'])
    return sorted(name for name, field in description['models'][model]['fields'].items()
                  if field['groups'] and set(field['groups']) <= staff)


def added_partner_fields(description):
    """The fields of a contact that only pharmacy addons declare."""
    addons = set(description['addons'])
    return sorted(name for name, field in description['models'][PARTNER]['fields'].items()
                  if field['modules'] and set(field['modules']) <= addons
                  and name not in ODOO_FIELDS)


def patient_data_fields(description, name):
    """The stored fields of model ``name`` that hold patient data: a relation to a PHI model, or
    to a contact that is a patient (``patient_id``, or a domain on ``is_patient``)."""
    models = description['models']
    found = []
    for field_name, field in sorted(models[name]['fields'].items()):
        if not field['store'] or field['type'] not in RELATIONAL:
            continue
        relation = field['relation']
        to_patient = relation == PARTNER and (field_name == 'patient_id' or any(
            isinstance(leaf, (list, tuple)) and leaf and leaf[0] == 'is_patient'
            for leaf in field['domain']))
        if to_patient or (relation in models and models[relation]['phi']
                          and relation != PARTNER):
            found.append(field_name)
    return found


def _counts_for_everyone(model, access):
    """A report of counts and rates (``_pharmacy_counts_only``: e.g. conversion of the
    pipeline for marketing) may be read by anyone: a read-only SQL view whose fields are
    numbers, dates, selections and relations to no patient (no text, no patient, no PHI
    record)."""
    plain = ('integer', 'float', 'monetary', 'date', 'selection')

    def counts(field):
        if field['type'] == 'many2one':
            return field['relation'] != PARTNER
        return field['type'] in plain
    return bool(model.get('counts_only') and model['view'] and access['read']
                and not (access['write'] or access['create'] or access['unlink'])
                and all(counts(field) for name, field in model['fields'].items()
                        if name not in ODOO_FIELDS))


def audit(description):
    """What leaves patient data unprotected, one sentence each (sorted; [] when nothing):

    - a pharmacy model that someone outside the pharmacy staff may access (an access right
      for another group, or for everyone), but a report of counts that everyone may read
      (``_counts_for_everyone``);
    - a pharmacy model that holds patient data but is not a PHI model (never deleted, its
      chatter hidden, values checked), unless nobody may write it (a view, a log the server
      writes);
    - a pharmacy model holding patient data with a company but no global company rule;
    - a field a pharmacy addon adds to a contact that declares no staff group and is not
      listed in PUBLIC_PARTNER_FIELDS, or a public one that relates to a PHI model.
    """
    staff = set(description['staff_groups'])
    problems = []
    for name in pharmacy_models(description):
        model = description['models'][name]
        for access in model['access']:
            if access['group'] not in staff and not _counts_for_everyone(model, access) \
                    and not _portal_access(model, access) \
                    and access['group'] != OUTSIDER_ACCESS.get(name):
                rights = ''.join(letter for letter, perm in (
                    ('r', 'read'), ('w', 'write'), ('c', 'create'), ('u', 'unlink'))
                    if access[perm])
                problems.append('%s: access rights %r for %s, not pharmacy staff' % (
                    name, rights, access['group'] or 'everyone'))
        patient_data = patient_data_fields(description, name)
        if not patient_data:
            continue
        writable = any(access['write'] or access['create'] or access['unlink']
                       for access in model['access'])
        if not model['phi'] and writable:
            problems.append('%s: holds patient data (%s) but does not inherit %s' % (
                name, ', '.join(patient_data), PHI_MIXIN))
        if 'company_id' in model['fields'] and not any(
                rule['global'] and 'company_id' in rule['domain'] for rule in model['rules']):
            problems.append('%s: holds patient data (%s) but has no global company rule' % (
                name, ', '.join(patient_data)))
    partner = description['models'][PARTNER]['fields']
    clinical = set(clinical_fields(description))
    phi = {name for name, model in description['models'].items()
           if model['phi'] and name != PARTNER}
    for name in added_partner_fields(description):
        if name in clinical:
            continue
        if name not in PUBLIC_PARTNER_FIELDS:
            problems.append('res.partner.%s: added by %s without groups=%s (declare it, or '
                            'list it in PUBLIC_PARTNER_FIELDS if it is no patient data)' % (
                                name, ', '.join(partner[name]['modules']), STAFF_GROUP))
        elif partner[name]['relation'] in phi:
            problems.append('res.partner.%s: public, but relates to %s' % (
                name, partner[name]['relation']))
    return sorted(problems)


def _portal_access(model, access):
    """Whether ``access`` is the portal patients' (never write nor unlink): reading the
    catalog (no patient data), or records a rule of their group limits to their own."""
    if access['group'] != PORTAL_GROUP or access['write'] or access['unlink']:
        return False
    if not model['phi']:
        return not access['create']
    return any(PORTAL_GROUP in rule.get('groups', ()) and not rule['global'] and any(
        marker in rule['domain'] for marker in PORTAL_RULE_FIELDS) for rule in model['rules'])


def rights(description, model, groups):
    """The operations (read, write, create, unlink) the access rights of ``model`` grant a user
    of ``groups`` (xml ids, implied ones included)."""
    return {perm for access in description['models'][model]['access']
            for perm in ('read', 'write', 'create', 'unlink')
            if access[perm] and (access['group'] is None or access['group'] in groups)}


def creatable(description):
    """The pharmacy models that some group may create (their access rights)."""
    return [name for name in pharmacy_models(description)
            if any(access['create'] for access in description['models'][name]['access'])]


# --- records to test with -----------------------------------------------------------------------
PATIENT_PROFILE = {'birthdate_date': '1960-01-01', 'nkda': True}
RX = 'pharmacy.patient.medication'


class RecordMaker:
    """Valid values for a new record of any pharmacy model, made by admin over RPC (``call``):
    from the model's required fields (``generic_vals``), or from ``RECIPES`` for what cannot
    be derived (an order of dates, a unique combination, a state machine). Every text carries
    ``token``. Shared records (patients, medications...) are created on first use."""

    def __init__(self, call, description, run, today, token=''):
        self.call, self.description = call, description
        self.run, self.today, self.token = run, today, token
        self.counter = itertools.count(1)
        self._shared = {}

    def text(self, label):
        return '%s %s %d %s' % (label, self.run, next(self.counter), self.token)

    def create(self, model, vals, **context):
        return self.call(model, 'create', vals, context=dict(context, tracking_disable=True))

    def shared(self, key, make):
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    # shared records
    def patients(self):
        """Ten patients: records unique per patient draw their patient from them."""
        return self.shared('patients', lambda: [
            self.create(PARTNER, dict(PATIENT_PROFILE, name='Made Patient %d %s' % (i, self.run),
                                      is_patient=True)) for i in range(10)])

    def new_patient(self, label='Made Patient'):
        return self.create(PARTNER, dict(PATIENT_PROFILE, is_patient=True,
                                         name=self.text(label)))

    def medications(self):
        return self.shared('medications', lambda: [
            self.create('pharmacy.medication', {'name': 'Madeol %d %s' % (i, self.run)})
            for i in range(3)])

    def partner(self, kind):
        """A manufacturer (a company), a prescriber, a referral pharmacy or a caregiver."""
        values = {'manufacturer': {'is_company': True}, 'prescriber': {'is_prescriber': True},
                  'pharmacy': {'is_company': True, 'is_pharmacy': True, 'city': 'Milton'},
                  'caregiver': {}}
        return self.shared(kind, lambda: self.create(PARTNER, dict(
            values[kind], name='Made %s %s' % (kind.title(), self.run))))

    def prescription(self, patient, **values):
        vals = {'patient_id': patient, 'medication_id': self.medications()[0],
                'rx_number': 'MR-%s-%d' % (self.run, next(self.counter)), 'days_supply': 30,
                'quantity': 30, 'refills_authorized': 2,
                'date_written': (self.today - timedelta(days=5)).isoformat()}
        vals.update(values)
        return self.create(RX, vals)

    def any_record(self, model):
        """A record of a model that is no pharmacy model (or one nobody creates)."""
        return self.shared(('any', model), lambda: (self.call(
            model, 'search', [], limit=1, order='id', context={'active_test': False}) or [
            False])[0])

    # values
    def vals(self, model):
        """Values for a new record of ``model``: its recipe, else derived; None when the
        tests create none (see RECIPES)."""
        if model in RECIPES:
            recipe = RECIPES[model]
            return recipe(self) if recipe else None
        return self.generic_vals(model)

    def generic_vals(self, model, n=None):
        """A value for each required field without a default: a patient of the pool for a
        patient, a new record for a pharmacy model, text with the token, the first key of a
        selection, today."""
        n = next(self.counter) if n is None else n
        vals = {}
        fields = self.description['models'][model]['fields']
        for name, field in sorted(fields.items()):
            if not field['required'] or field['default'] or field['computed'] or (
                    not field['store']):
                continue
            vals[name] = self._generic_value(model, name, field, n)
        return vals

    def _generic_value(self, model, name, field, n):
        kind, relation = field['type'], field['relation']
        if kind in ('char', 'text', 'html'):
            return self.text('Made %s' % name)
        if kind == 'selection':
            return field['selection'][0]
        if kind == 'date':
            return self.today.isoformat()
        if kind == 'datetime':
            return '%s 12:00:00' % self.today.isoformat()
        if kind in ('integer', 'float', 'monetary'):
            return 1
        if kind == 'boolean':
            return True
        if kind in ('many2one', 'many2many'):
            if relation == PARTNER and name in patient_data_fields(self.description, model):
                record = self.patients()[n % 10]
            elif relation in self.description['models'] and relation != PARTNER and (
                    relation in creatable(self.description)):
                record = self.make(relation)
            else:
                record = self.any_record(relation)
            return record if kind == 'many2one' else [(6, 0, [record])]
        raise ValueError('%s.%s (%s): no value can be derived; add a recipe to RECIPES in '
                         'tests/pharmacy_models.py' % (model, name, kind))

    def make(self, model):
        """A new record of ``model``, created by admin (its recipe may make it otherwise)."""
        if model in MADE_BY_SERVER:
            return MADE_BY_SERVER[model](self)
        vals = self.vals(model)
        if vals is None:
            raise ValueError('%s: the tests create no record of it (RECIPES)' % model)
        return self.create(model, vals)


def _fill_vals(maker):
    """Fills of one prescription written 300 days ago, each a day after the one before with
    one day of supply (never a refill too soon); a new prescription when its days run out."""
    state = maker.shared('fills', lambda: {'rx': None, 'day': None})
    written = maker.today - timedelta(days=300)
    if state['rx'] is None or state['day'] > maker.today:
        state['rx'] = maker.prescription(maker.patients()[0], refills_authorized=1000,
                                         date_written=written.isoformat())
        state['day'] = written
    day, state['day'] = state['day'], state['day'] + timedelta(days=1)
    return {'prescription_id': state['rx'], 'fill_date': day.isoformat(), 'quantity': 1,
            'days_supply': 1}


def _consent_vals(maker):
    """One line per patient, channel and purpose: a new patient once its pairs are used."""
    state = maker.shared('consents', lambda: {'pairs': []})
    if not state['pairs']:
        fields = maker.description['models']['pharmacy.consent']['fields']
        state['patient'] = maker.new_patient()
        state['pairs'] = list(itertools.product(fields['channel']['selection'],
                                                fields['purpose']['selection']))
    channel, purpose = state['pairs'].pop()
    return {'patient_id': state['patient'], 'channel': channel, 'purpose': purpose}


def _preference_vals(maker):
    """One per patient and medication: a new patient each time."""
    return {'patient_id': maker.new_patient(), 'medication_id': maker.medications()[1],
            'manufacturer_id': maker.partner('manufacturer'), 'required_by': 'patient'}


def _enrollment_vals(maker):
    """One open enrolment per patient: a new patient each time (an enrolment starts
    enrolled: its state changes by its actions)."""
    n = next(maker.counter)
    return {'patient_id': maker.new_patient('Made Enrolled Patient'), 'sync_rule': 'day',
            'sync_day': 1 + n % 28, 'consent_source': 'phone'}


def _open_enrollment(maker):
    """An open enrolment of a patient of its own, and a prescription of that patient."""
    def make():
        patient = maker.new_patient('Made Sync Patient')
        enrollment = maker.create('pharmacy.sync.enrollment', {
            'patient_id': patient, 'sync_rule': 'day', 'sync_day': 5,
            'consent_source': 'in_store'})
        return {'patient': patient, 'enrollment': enrollment}
    return maker.shared('open enrollment', make)


def _appointment_vals(maker):
    """An appointment of the open enrolment on a date of its own, with one line."""
    sync = _open_enrollment(maker)
    n = next(maker.counter)
    return {'enrollment_id': sync['enrollment'],
            'date': (maker.today + timedelta(days=3 + n)).isoformat(),
            'line_ids': [(0, 0, {'prescription_id': maker.prescription(sync['patient'])})]}


def _sync_line_vals(maker):
    """A line of a new prescription of the appointment's patient."""
    sync = _open_enrollment(maker)
    appointment = maker.shared('appointment', lambda: maker.create(
        'pharmacy.sync.appointment', _appointment_vals(maker)))
    return {'appointment_id': appointment,
            'prescription_id': maker.prescription(sync['patient'])}


def _dismissal_vals(maker):
    """A proposal for a new patient: two incidents on different days, a referral pharmacy, an
    explanation, the attestation, and an effective date well after the notice period."""
    patient = maker.new_patient('Made Dismissed Patient')
    incidents = [maker.create('pharmacy.incident', {
        'patient_id': patient, 'incident_type': 'scene', 'description': maker.text('Scene'),
        'date': '%s 10:00:00' % (maker.today - timedelta(days=days)).isoformat()})
        for days in (20, 3)]
    return {'patient_id': patient, 'incident_ids': [(6, 0, incidents)],
            'referral_pharmacy_ids': [(6, 0, [maker.partner('pharmacy')])],
            'explanation': maker.text('Explanation'), 'attestation': True,
            'effective_date': (maker.today + timedelta(days=400)).isoformat()}


def _adherence_rows(maker):
    """PDC rows are the server's (``recompute_period``): a patient of its own with a statin,
    filled twice, measured over the last 60 days."""
    def make():
        patient = maker.new_patient('Made Adherence Patient')
        statin = maker.call('ir.model.data', 'xmlid_to_res_id',
                            'pharmacy_crm.therapeutic_class_statin', True)
        medication = maker.create('pharmacy.medication', {
            'name': maker.text('Made Statin'), 'therapeutic_class_id': statin})
        start = maker.today - timedelta(days=60)
        rx = maker.prescription(patient, medication_id=medication,
                                date_written=start.isoformat())
        for days in (60, 30):
            maker.create('pharmacy.fill', {
                'prescription_id': rx, 'quantity': 30, 'days_supply': 30,
                'fill_date': (maker.today - timedelta(days=days)).isoformat()})
        end = maker.today - timedelta(days=1)
        maker.call('pharmacy.adherence', 'recompute_period', start.isoformat(), end.isoformat())
        return maker.call('pharmacy.adherence', 'search', [('patient_id', '=', patient)])[0]
    return maker.shared('adherence', make)


def _refill_request_vals(maker):
    patient = maker.patients()[next(maker.counter) % 10]
    return {'patient_id': patient, 'prescription_id': maker.prescription(patient)}


def _journey_vals(maker):
    """A journey entered by an event (a segment journey needs a segment)."""
    return {'name': maker.text('Made Journey'), 'entry_type': 'lapsed', 'entry_days': 90}


def _journey_step_vals(maker):
    """A wait (a mail needs a template, an activity a summary, a branch a condition)."""
    return {'journey_id': maker.make('pharmacy.journey'), 'name': maker.text('Made Step'),
            'step_type': 'wait', 'wait_days': 3}


def _journey_participant(maker):
    """Participants are the server's (the journey's run): a patient of its own with email
    marketing consent, the only member of a segment, enters a journey (a mail, then a wait,
    so that it stays in progress) run now."""
    def make():
        email = 'made.journey.%s@example.com' % maker.run
        patient = maker.create(PARTNER, dict(PATIENT_PROFILE, is_patient=True, email=email,
                                             name=maker.text('Made Journey Patient')))
        maker.create('pharmacy.consent', {
            'patient_id': patient, 'channel': 'email', 'purpose': 'marketing',
            'state': 'granted', 'date': maker.today.isoformat(), 'source': 'in_store'})
        segment = maker.create('pharmacy.segment', {
            'name': maker.text('Made Journey Segment'),
            'partner_domain': repr([('email', '=', email)])})
        template = maker.call('ir.model.data', 'xmlid_to_res_id',
                              'pharmacy_crm_journey.mail_template_journey_welcome', True)
        journey = maker.create('pharmacy.journey', {
            'name': maker.text('Made Journey'), 'entry_type': 'segment', 'segment_id': segment,
            'step_ids': [(0, 0, {'sequence': 1, 'name': 'Mail', 'step_type': 'mail',
                                 'template_id': template}),
                         (0, 0, {'sequence': 2, 'name': 'Wait', 'step_type': 'wait',
                                 'wait_days': 5}),
                         (0, 0, {'sequence': 3, 'name': 'Again', 'step_type': 'mail',
                                 'template_id': template})]})
        maker.call('pharmacy.journey', 'action_start', [journey])
        maker.call('pharmacy.journey', 'action_run_now', [journey])
        [participant] = maker.call('pharmacy.journey.participant', 'search',
                                   [('journey_id', '=', journey)])
        return participant
    return maker.shared('journey participant', make)


def _journey_history(maker):
    """A step the journey's run recorded for the participant."""
    participant = _journey_participant(maker)
    return maker.call('pharmacy.journey.history', 'search',
                      [('participant_id', '=', participant)], limit=1)[0]


# Models whose valid values cannot be derived from their required fields, and why (None: the
# tests create none). A pharmacy model that some group may create and that is neither here
# nor derivable fails test_every_pharmacy_model_gets_a_record (test_hostile_rpc).
RECIPES = {
    RX: lambda maker: {
        'patient_id': maker.patients()[next(maker.counter) % 10],
        'medication_id': maker.medications()[0], 'prescriber_id': maker.partner('prescriber'),
        'rx_number': 'MR-%s-%d' % (maker.run, next(maker.counter)), 'days_supply': 30,
        'quantity': 30, 'refills_authorized': 2,
        'date_written': (maker.today - timedelta(days=5)).isoformat()},
    'pharmacy.fill': _fill_vals,
    'pharmacy.consent': _consent_vals,
    'pharmacy.manufacturer.preference': _preference_vals,
    'pharmacy.sync.enrollment': _enrollment_vals,
    'pharmacy.sync.appointment': _appointment_vals,
    'pharmacy.sync.appointment.line': _sync_line_vals,
    'pharmacy.dismissal': _dismissal_vals,
    # a queued import is run by the scheduled action: none is queued by these tests
    'pharmacy.import.log': None,
    # one per prescription and day: a new prescription of the patient each time
    'pharmacy.refill.request': _refill_request_vals,
    # the caregiver is not the patient
    'pharmacy.journey': _journey_vals,
    'pharmacy.journey.step': _journey_step_vals,
    'pharmacy.portal.delegation': lambda maker: {
        'patient_id': maker.patients()[next(maker.counter) % 10],
        'delegate_id': maker.partner('caregiver')},
}
# Models whose records only the server makes: how a test gets one.
MADE_BY_SERVER = {'pharmacy.adherence': _adherence_rows,
                  'pharmacy.journey.participant': _journey_participant,
                  'pharmacy.journey.history': _journey_history}


# --- in the test process ------------------------------------------------------------------------
_CACHE = {}


def discovered(config):
    """The description of the test database (``--odoo-database``), read once; None without a
    database (nothing is then collected that needs it)."""
    db_name = config.getoption('--odoo-database', default=None)
    if not db_name:
        return None
    if db_name not in _CACHE:
        import odoo
        with odoo.api.Environment.manage():
            with odoo.registry(db_name).cursor() as cr:
                _CACHE[db_name] = describe(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
    return _CACHE[db_name]
