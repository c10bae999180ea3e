"""docker/ cannot be built here (no Docker engine): check it matches the repository."""
import os
import re

import yaml

from conftest import ADDONS, ROOT


DOCKER = os.path.join(ROOT, 'docker')


def _dockerfile():
    with open(os.path.join(DOCKER, 'Dockerfile')) as fp:
        return fp.read()


def test_dockerfile_copies_only_files_that_exist():
    sources = []
    for line in _dockerfile().splitlines():
        if line.startswith('COPY '):
            sources += line.split()[1:-1]
    assert 'requirements.txt' in sources and 'compat/' in sources
    for source in sources:
        assert os.path.exists(os.path.join(ROOT, source)), source


def test_dockerfile_installs_the_pins_of_the_repository():
    text = _dockerfile()
    assert text.startswith('#') and 'FROM python:3.11-slim-bookworm' in text
    assert '-r requirements.txt' in text and '--no-deps -r requirements-oca.txt' in text
    with open(os.path.join(ROOT, 'requirements.txt')) as fp:
        pins = dict(re.findall(r'^([\w.-]+)==(\S+)', fp.read(), re.M))
    # the one package the Dockerfile installs by hand must carry the same pin
    assert re.search(r'vatnumber==%s\b' % re.escape(pins['vatnumber']), text)
    assert 'import odoo11_py311_compat' in text


def _compose():
    with open(os.path.join(DOCKER, 'docker-compose.yml')) as fp:
        return yaml.safe_load(fp)


def test_compose_builds_this_image_with_postgresql_15():
    compose = _compose()
    db, odoo = compose['services']['db'], compose['services']['odoo']
    assert db['image'] == 'postgres:15'
    build_context = os.path.normpath(os.path.join(DOCKER, odoo['build']['context']))
    assert build_context == ROOT
    assert os.path.exists(os.path.join(build_context, odoo['build']['dockerfile']))
    named = {v.split(':')[0] for s in compose['services'].values() for v in s.get('volumes', ())
             if not v.startswith('.')}
    assert named == set(compose['volumes']) == {'db-data', 'odoo-data'}


def test_compose_runs_two_application_servers_and_one_cron_server():
    """Two application servers (no cron) behind the proxy, one cron-only server (no HTTP), all
    of the same image sharing the data directory (filestore and sessions)."""
    services = _compose()['services']
    odoo_servers = {name: s for name, s in services.items() if 'build' in s}
    assert set(odoo_servers) == {'odoo', 'odoo-2', 'odoo-cron'}
    for service in odoo_servers.values():
        assert service['build'] == services['odoo']['build']
        assert service['volumes'] == ['odoo-data:/var/lib/odoo']
        assert service['command'][:3] == ['odoo', '-c', '/etc/odoo/odoo.conf']
    for name in ('odoo', 'odoo-2'):
        assert '--max-cron-threads=0' in services[name]['command']
        assert {'8069', '8072'} == set(services[name]['expose'])
    cron = services['odoo-cron']['command']
    assert '--no-http' in cron and '--max-cron-threads=2' in cron
    assert 'ports' not in services['odoo-cron']
    with open(os.path.join(DOCKER, 'nginx.conf')) as fp:
        nginx = fp.read()
    for upstream, port in (('odoo', 8069), ('odoochat', 8072)):
        block = re.search(r'upstream %s \{(.*?)\}' % upstream, nginx, re.S).group(1)
        assert 'hash $cookie_session_id consistent;' in block
        assert set(re.findall(r'server (\S+);', block)) == {
            'odoo:%d' % port, 'odoo-2:%d' % port}


def test_image_config_matches_compose():
    with open(os.path.join(DOCKER, 'odoo.conf')) as fp:
        conf = dict(re.findall(r'^(\w+) = (.*)$', fp.read(), re.M))
    env = _compose()['services']['db']['environment']
    assert conf['db_host'] == 'db'
    assert conf['db_user'] == env['POSTGRES_USER']
    assert conf['db_password'] == env['POSTGRES_PASSWORD']
    for addon in ADDONS:
        assert 'COPY %s/ ./addons/%s/' % (addon, addon) in _dockerfile()
    assert conf['addons_path'] == '/opt/pharmacy-crm/addons'


def _conf():
    with open(os.path.join(DOCKER, 'odoo.conf')) as fp:
        return dict(re.findall(r'^(\w+) = (.*)$', fp.read(), re.M))


def test_image_runs_odoo_multi_process_mode():
    conf = _conf()
    assert int(conf['workers']) >= 2 and int(conf['max_cron_threads']) >= 1
    assert conf['proxy_mode'] == 'True'
    assert int(conf['limit_memory_soft']) < int(conf['limit_memory_hard'])
    assert re.search(r'^EXPOSE 8069 %s$' % conf['longpolling_port'], _dockerfile(), re.M)


def test_proxy_sends_longpolling_to_its_process_and_the_rest_to_the_workers():
    services = _compose()['services']
    proxy = services['proxy']
    assert proxy['image'].startswith('nginx:') and proxy['depends_on'] == ['odoo', 'odoo-2']
    assert proxy['ports'] == ['127.0.0.1:8069:80']
    assert not any('ports' in s for name, s in services.items() if name != 'proxy')
    [mount] = proxy['volumes']
    source, target = mount.split(':')[:2]
    assert target == '/etc/nginx/conf.d/default.conf'
    with open(os.path.join(DOCKER, source)) as fp:
        nginx = fp.read()
    upstreams = {name: set(re.findall(r'server ([\w:-]+);', body))
                 for name, body in re.findall(r'upstream (\w+) \{(.*?)\}', nginx, re.S)}
    locations = dict(re.findall(r'location (\S+) \{[^}]*proxy_pass http://(\w+);', nginx))
    conf = _conf()
    assert upstreams[locations['/longpolling']] == {
        '%s:%s' % (server, conf['longpolling_port']) for server in ('odoo', 'odoo-2')}
    assert upstreams[locations['/']] == {'odoo:8069', 'odoo-2:8069'}


def test_image_creates_databases_without_demo_patients():
    assert _conf()['without_demo'] == 'all'
