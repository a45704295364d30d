"""Create, on a moto server, the resources a student creates in the sources fixture course
(tests/fixtures/sources): a running EC2 instance, two Elastic IPs tagged `eip-2` then
`eip-1` (created in that order, so that a stable order by tag is not creation order), CERTS
imported ACM certificates for web.example.com, an EFS file system and an EKS cluster.

    python scripts/moto_sources.py URL REGION CERTS

Prints what moto returned, as JSON: public_ip, private_ip, eips [[tag, allocation id,
address]], arns, efs, eks_endpoint, eks_ca.
"""
import datetime
import json
import sys
import uuid

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

url, region, certs = sys.argv[1], sys.argv[2], int(sys.argv[3])
kw = dict(endpoint_url=url, region_name=region, aws_access_key_id="testing",
          aws_secret_access_key="testing")
ec2 = boto3.client("ec2", **kw)
ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                         TagSpecifications=[{"ResourceType": "instance",
                                             "Tags": [{"Key": "Name", "Value": "web-server"}]}])
iid = inst["Instances"][0]["InstanceId"]
desc = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
eips = []
for tag in ("eip-2", "eip-1"):
    a = ec2.allocate_address(Domain="vpc", TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": tag}]}])
    eips.append([tag, a["AllocationId"], a["PublicIp"]])

acm = boto3.client("acm", **kw)
arns = []
for i in range(certs):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "web.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number() + i)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("web.example.com")]), False)
            .sign(key, hashes.SHA256()))
    arns.append(acm.import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()))["CertificateArn"])

efs = boto3.client("efs", **kw).create_file_system(CreationToken="service-efs-" + uuid.uuid4().hex)
eks = boto3.client("eks", **kw)
cluster = "service-cluster"
eks.create_cluster(name=cluster, roleArn="arn:aws:iam::123456789012:role/eks",
                   resourcesVpcConfig={"subnetIds": []})
cl = eks.describe_cluster(name="service-cluster")["cluster"]
print(json.dumps({
    "public_ip": desc.get("PublicIpAddress"),
    "private_ip": desc.get("PrivateIpAddress"),
    "eips": eips,
    "arns": arns,
    "efs": efs["FileSystemId"],
    "eks_endpoint": cl["endpoint"],
    "eks_ca": cl["certificateAuthority"]["data"],
}))
