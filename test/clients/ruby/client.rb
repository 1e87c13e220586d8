# frozen_string_literal: true

# InfraWatch test client: AWS SDK for Ruby as packaged by Debian 12
# (ruby-aws-sdk-core 3.168.1, ruby-aws-sigv4 1.5.1, ruby 3.1). Run: ruby client.rb OPS...
#
# Used by the test tier that runs each AWS client as its own process, in the exact
# environment an editor terminal gets, against the local AWS endpoint (localaws/).
#
# Contract:
# - Credentials come ONLY from the SDK's default chain (Aws::CredentialProviderChain, via
#   Aws::STS::Client.new without explicit credentials). Region from the environment
#   (the SDK reads AWS_REGION / AMAZON_REGION / AWS_DEFAULT_REGION).
# - If AWS_ENDPOINT_URL is set, every call goes to that one URL (this SDK version does not
#   read AWS_ENDPOINT_URL itself); SigV4 signing names stay sts / rds / ec2.
# - Debian packages no RDS or EC2 gem, so those calls are raw awsQuery POSTs signed with
#   Aws::Sigv4::Signer using the SAME credential provider object the STS client resolved
#   from the default chain (its own caching/refresh applies; credentials fetched per op).
# - Args: ops run in order, one JSON line per op on stdout. `--loop`: ops are read one per
#   line from stdin until EOF, one JSON line answered per op. The client / credential
#   provider are created once per process and reused (while the default chain resolves no
#   provider at all, the client is built again at the next op).
# - ops: identity (sts GetCallerIdentity) -> {"op","ok":true,"arn","accessKeyId"}
#   (accessKeyId = the key in the SigV4 Authorization header this call was signed with)
#   allowed (rds DescribeDBInstances) -> {"op","ok":true}
#   denied  (ec2 DescribeInstances)   -> normally {"op","ok":false,"code","error"}
#   any failure -> {"op","ok":false,"code":<AWS error code or Ruby class name>,
#   "error":<message incl. the messages of nested causes>}
# - Exit 0 when every op was answered (even ok:false); non-zero only on a crash.

require 'json'
require 'net/http'
require 'uri'
require 'aws-sdk-core'
require 'aws-sigv4'

$stdout.sync = true

# A failure of a raw (non-SDK-client) call, carrying the AWS error code.
class RawCallError < StandardError
  attr_reader :code

  def initialize(code, message)
    @code = code
    super(message)
  end
end

module InfraWatchClient
  QUERY = {
    'rds' => 'Action=DescribeDBInstances&Version=2014-10-31',
    'ec2' => 'Action=DescribeInstances&Version=2016-11-15'
  }.freeze

  module_function

  def endpoint
    e = ENV['AWS_ENDPOINT_URL']
    e.nil? || e.empty? ? nil : e
  end

  def region_from_env
    %w[AWS_REGION AMAZON_REGION AWS_DEFAULT_REGION].map { |k| ENV[k] }.find { |v| v && !v.empty? }
  end

  def sts
    # Reused once the default chain resolved a provider; rebuilt while it resolved none.
    return @sts if @sts && @sts.config.credentials

    opts = {}
    opts[:endpoint] = endpoint if endpoint
    region = region_from_env
    opts[:region] = region if region
    @sts = Aws::STS::Client.new(**opts)
  end

  # The provider the default chain resolved for the STS client (shared by the raw calls).
  def credentials_provider
    sts.config.credentials
  end

  def region
    sts.config.region
  end

  def raw_query(service)
    url = endpoint || "https://#{service}.#{region}.amazonaws.com/"
    body = QUERY.fetch(service)
    provider = credentials_provider
    raise Aws::Errors::MissingCredentialsError, 'unable to sign request without credentials set' unless provider

    signer = Aws::Sigv4::Signer.new(service: service, region: region, credentials_provider: provider)
    headers = { 'content-type' => 'application/x-www-form-urlencoded; charset=utf-8' }
    signature = signer.sign_request(http_method: 'POST', url: url, headers: headers, body: body)
    uri = URI(url)
    req = Net::HTTP::Post.new(uri.request_uri.empty? ? '/' : uri.request_uri)
    headers.merge(signature.headers).each { |k, v| req[k] = v }
    req.body = body
    res = Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == 'https', open_timeout: 10, read_timeout: 30) { |h| h.request(req) }
    return if res.code.to_i.between?(200, 299)

    text = res.body.to_s
    code = text[%r{<Code>(.*?)</Code>}m, 1] || "Http#{res.code}"
    message = text[%r{<Message>(.*?)</Message>}m, 1] || text
    raise RawCallError.new(code, "HTTP #{res.code}: #{message}")
  end

  def failure(op, err)
    code = err.respond_to?(:code) && err.code && !err.code.to_s.empty? ? err.code.to_s : err.class.name
    parts = ["#{err.class.name}: #{err.message}"]
    cause = err.cause
    while cause
      parts << "caused by #{cause.class.name}: #{cause.message}"
      cause = cause.cause
    end
    { op: op, ok: false, code: code, error: parts.join(' | ') }
  end

  def run(op)
    case op
    when 'identity'
      resp = sts.get_caller_identity
      auth = resp.context.http_request.headers['authorization'].to_s
      { op: op, ok: true, arn: resp.arn, accessKeyId: auth[%r{Credential=([^/]+)/}, 1] }
    when 'allowed'
      raw_query('rds')
      { op: op, ok: true }
    when 'denied'
      raw_query('ec2')
      { op: op, ok: true }
    else
      { op: op, ok: false, code: 'UnknownOp', error: "unknown op #{op.inspect} (identity | allowed | denied)" }
    end
  rescue StandardError => e
    failure(op, e)
  end
end

def emit(result)
  $stdout.write("#{JSON.generate(result)}\n")
  $stdout.flush
end

if ARGV == ['--loop']
  $stdin.each_line do |line|
    op = line.strip
    next if op.empty?

    emit(InfraWatchClient.run(op))
  end
else
  ARGV.each { |op| emit(InfraWatchClient.run(op)) }
end
