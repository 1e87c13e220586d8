// InfraWatch test client: AWS SDK for Go v2 as packaged by Debian 12
// (golang-github-aws-aws-sdk-go-v2-dev 1.17.1, golang-github-aws-smithy-go-dev 1.13.3, go 1.19).
//
// Used by the test tier that runs each AWS client as its own process, in the exact
// environment an editor terminal gets, against the local AWS endpoint (localaws/).
//
// Build (fully offline, Debian packages only, GOPATH mode — Debian ships the SDK as one
// GOPATH tree under /usr/share/gocode and there is no go.mod here on purpose):
//
//	cd test/clients/go && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off \
//	  GOCACHE=<writable dir> go build -o <out> .
//
// Contract:
//   - Credentials come ONLY from the SDK's default chain (config.LoadDefaultConfig). Region
//     from the environment (the SDK reads AWS_REGION, then AWS_DEFAULT_REGION; we fall back
//     to reading them ourselves if the SDK did not).
//   - If AWS_ENDPOINT_URL is set, every service call goes to that one URL (this SDK version
//     does not read AWS_ENDPOINT_URL itself); SigV4 signing names stay sts / rds / ec2.
//   - Args: ops run in order, one JSON line per op on stdout. `--loop`: ops are read one per
//     line from stdin until EOF, one JSON line answered per op. Config, credentials cache
//     and clients are created once per process and reused (if LoadDefaultConfig itself
//     fails, it is retried at the next op).
//   - ops: identity  (sts GetCallerIdentity) → {"op","ok":true,"arn","accessKeyId"}
//     (accessKeyId = the key in the SigV4 Authorization header this call was signed with)
//     allowed   (rds DescribeDBInstances)  → {"op","ok":true}
//     denied    (ec2 DescribeInstances)    → normally {"op","ok":false,"code","error"}
//     any failure → {"op","ok":false,"code":<AWS error code or Go type>,"error":<full
//     error text incl. wrapped causes, e.g. the credentials endpoint's message>}
//   - Exit 0 when every op was answered (even ok:false); non-zero only on a crash.
//   - `--version` prints the SDK's version.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

type result struct {
	Op          string `json:"op"`
	Ok          bool   `json:"ok"`
	Arn         string `json:"arn,omitempty"`
	AccessKeyID string `json:"accessKeyId,omitempty"`
	Code        string `json:"code,omitempty"`
	Error       string `json:"error,omitempty"`
}

type clients struct {
	sts *sts.Client
	rds *rds.Client
	ec2 *ec2.Client
}

var shared *clients

func setup(ctx context.Context) (*clients, error) {
	if shared != nil {
		return shared, nil
	}
	// This SDK does not retry a read on a keep-alive connection that Go's transport closed
	// as idle at the same moment it was reused ("use of closed network connection" after a
	// 200). aws-sdk-go-v2 retries net.ErrClosed by default since January 2025 (its PR
	// #2949, for issues #1825 and #2737); a Go program on Debian's older SDK needs the same
	// retry, or it fails now and then for reasons unrelated to its credentials.
	opts := []func(*config.LoadOptions) error{config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.Retryables = append(o.Retryables, retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
				if errors.Is(err, net.ErrClosed) {
					return aws.TrueTernary
				}
				return aws.UnknownTernary
			}))
		})
	})}
	if ep := os.Getenv("AWS_ENDPOINT_URL"); ep != "" {
		opts = append(opts, config.WithEndpointResolverWithOptions(aws.EndpointResolverWithOptionsFunc(
			func(service, region string, _ ...interface{}) (aws.Endpoint, error) {
				// SigningName left empty: each service keeps its own (sts, rds, ec2).
				return aws.Endpoint{URL: ep, HostnameImmutable: true, SigningRegion: region, Source: aws.EndpointSourceCustom}, nil
			})))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = os.Getenv("AWS_REGION")
		if cfg.Region == "" {
			cfg.Region = os.Getenv("AWS_DEFAULT_REGION")
		}
	}
	shared = &clients{sts: sts.NewFromConfig(cfg), rds: rds.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg)}
	return shared, nil
}

// captureAccessKey records the access key id from the Authorization header after SigV4
// signing (runs last in the Finalize step, so after the retry loop's last signing).
func captureAccessKey(dst *string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("InfraWatchCaptureAccessKey",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					auth := req.Header.Get("Authorization")
					if i := strings.Index(auth, "Credential="); i >= 0 {
						rest := auth[i+len("Credential="):]
						if j := strings.Index(rest, "/"); j >= 0 {
							*dst = rest[:j]
						}
					}
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}
}

func failure(op string, err error) result {
	code := ""
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() != "" {
		code = apiErr.ErrorCode()
	} else {
		inner := err
		for {
			next := errors.Unwrap(inner)
			if next == nil {
				break
			}
			inner = next
		}
		code = strings.TrimPrefix(fmt.Sprintf("%T", inner), "*")
	}
	// err.Error() of an SDK error already includes every wrapped cause.
	return result{Op: op, Ok: false, Code: code, Error: err.Error()}
}

func run(ctx context.Context, op string) result {
	c, err := setup(ctx)
	if err != nil {
		return failure(op, err)
	}
	switch op {
	case "identity":
		var akid string
		out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) {
			o.APIOptions = append(o.APIOptions, captureAccessKey(&akid))
		})
		if err != nil {
			return failure(op, err)
		}
		return result{Op: op, Ok: true, Arn: aws.ToString(out.Arn), AccessKeyID: akid}
	case "allowed":
		if _, err := c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{}); err != nil {
			return failure(op, err)
		}
		return result{Op: op, Ok: true}
	case "denied":
		if _, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
			return failure(op, err)
		}
		return result{Op: op, Ok: true}
	default:
		return result{Op: op, Ok: false, Code: "UnknownOp", Error: fmt.Sprintf("unknown op %q (identity | allowed | denied)", op)}
	}
}

func main() {
	ctx := context.Background()
	w := bufio.NewWriter(os.Stdout)
	emit := func(r result) {
		line, _ := json.Marshal(r)
		w.Write(line)
		w.WriteByte('\n')
		w.Flush()
	}
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "--version" {
		fmt.Println(aws.SDKVersion)
		return
	}
	if len(args) == 1 && args[0] == "--loop" {
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 64*1024), 1024*1024)
		for in.Scan() {
			op := strings.TrimSpace(in.Text())
			if op == "" {
				continue
			}
			emit(run(ctx, op))
		}
		if err := in.Err(); err != nil {
			fmt.Fprintln(os.Stderr, "reading stdin:", err)
			os.Exit(2)
		}
		return
	}
	for _, op := range args {
		emit(run(ctx, op))
	}
}
